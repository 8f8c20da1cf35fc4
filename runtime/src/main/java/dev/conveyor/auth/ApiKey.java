package dev.conveyor.auth;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key as the gateway knows it: never the key itself, only its hash.
 *
 * @param id             names the key's client in logs, in the task's {@code conveyor.submitter} header and in its
 *                       status; a client's old and new key share it while it rotates
 * @param hash           the SHA-256 of the key
 * @param scopes         what the key may do
 * @param types          the task types it may submit
 * @param tasksPerSecond the most tasks it may submit per second to one gateway instance; 0 for no limit
 */
public record ApiKey(String id, KeyHash hash, Set<Scope> scopes, TypePatterns types, double tasksPerSecond) {

    /** Key ids are safe in logs, headers and the keys file's {@code :}-separated fields. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** One task in about 17 minutes: the slowest rate, which keeps a batch's cost in nanoseconds within a long. */
    static final double MIN_RATE = 0.001;
    static final double MAX_RATE = 1_000_000;

    public ApiKey {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the key id must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (hash == null) {
            throw new IllegalArgumentException("the key has no hash");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("the key needs at least one scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
        if (scopes.contains(Scope.SUBMIT) && types.none()) {
            throw new IllegalArgumentException("a key with the submit scope needs the task types it may submit (* for every type)");
        }
        if (tasksPerSecond != 0 && !(tasksPerSecond >= MIN_RATE && tasksPerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("the rate must be between " + MIN_RATE + " and " + (long) MAX_RATE
                    + " tasks per second, or left out for no limit");
        }
    }

    /** Whether the key has {@code scope}; the admin scope includes reading. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scope == Scope.READ && scopes.contains(Scope.ADMIN);
    }

    public boolean limited() {
        return tasksPerSecond > 0;
    }

    /** Whether the key may read the status of a task submitted with a key of id {@code submitter} (null: none). */
    public boolean mayRead(String submitter) {
        return scopes.contains(Scope.ADMIN) || id.equals(submitter);
    }
}
