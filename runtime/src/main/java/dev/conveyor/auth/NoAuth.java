package dev.conveyor.auth;

import dev.conveyor.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;

/** {@code AUTH=none}: every request is served, no task has a submitter. */
final class NoAuth implements GatewayAuth {

    static final NoAuth INSTANCE = new NoAuth();

    private NoAuth() {
    }

    @Override
    public void install(Javalin app) {
        // nothing to check
    }

    @Override
    public Optional<String> submitter(Context ctx) {
        return Optional.empty();
    }

    @Override
    public Optional<Problem> admit(Context ctx, Collection<String> types, int tasks) {
        return Optional.empty();
    }

    @Override
    public Predicate<String> readable(Context ctx) {
        return submitter -> true;
    }
}
