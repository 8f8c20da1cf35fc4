package dev.conveyor.auth;

import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. A route names the scope it needs; a route that names none is admin-only,
 * so a route added without thinking about access is closed rather than open.
 */
public enum Scope implements RouteRole {
    /** {@code POST /tasks} and {@code POST /tasks/batch}, for the key's task types. */
    SUBMIT,
    /** {@code GET /tasks/{id}} and its events, for tasks submitted with a key of this key's id; {@code GET /stats}. */
    READ,
    /** Every task's status, not only the key's own, and {@code GET /metrics} when {@code METRICS_AUTH} is on. */
    ADMIN;

    /** The scope as a keys file spells it: {@code submit}, {@code read}, {@code admin}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.text().equals(text)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a scope; scopes are "
                + Arrays.stream(values()).map(Scope::text).collect(Collectors.joining(", ")));
    }
}
