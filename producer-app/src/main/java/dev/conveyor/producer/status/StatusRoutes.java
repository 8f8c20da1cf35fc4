package dev.conveyor.producer.status;

import io.javalin.Javalin;
import dev.conveyor.auth.Scope;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code GET /tasks/{id}} (optionally {@code ?wait=30s}), {@code GET /tasks/{id}/events} and
 * {@code GET /stats}, each for a key with the read scope; a key reads the tasks submitted with it (an
 * admin key every task). Requests are checked before anything is looked up, and answered asynchronously:
 * a waiting request holds no thread. Until the view has started, every answer is a 503.
 */
final class StatusRoutes {

    static final String WAIT = "wait";

    private volatile StatusQueries queries;
    private Function<Context, Predicate<String>> readable;

    /** Answers from {@code queries} from now on. */
    void serve(StatusQueries queries) {
        this.queries = queries;
    }

    /** @param readable of which submitters the request's caller may read tasks */
    void routes(Javalin app, Function<Context, Predicate<String>> readable) {
        this.readable = readable;
        app.get("/tasks/{id}", ctx -> task(ctx, StatusQueries.Document.STATUS, Set.of(WAIT)), Scope.READ);
        app.get("/tasks/{id}/events", ctx -> task(ctx, StatusQueries.Document.EVENTS, Set.of()), Scope.READ);
        app.get("/stats", this::stats, Scope.READ);
    }

    private void task(Context ctx, StatusQueries.Document document, Set<String> parameters) {
        String id;
        Duration wait;
        try {
            StatusRequests.onlyKnownParameters(ctx.queryParamMap(), parameters);
            id = StatusRequests.taskId(ctx.pathParam("id"));
            wait = StatusRequests.waitFor(ctx.queryParams(WAIT));
        } catch (StatusRequests.Invalid e) {
            Reply.invalid(e.getMessage()).writeTo(ctx);
            return;
        }
        answer(ctx, current -> current.task(id, document, wait, asker(ctx)));
    }

    private void stats(Context ctx) {
        try {
            StatusRequests.onlyKnownParameters(ctx.queryParamMap(), Set.of());
        } catch (StatusRequests.Invalid e) {
            Reply.invalid(e.getMessage()).writeTo(ctx);
            return;
        }
        answer(ctx, current -> current.stats(asker(ctx)));
    }

    private void answer(Context ctx, java.util.function.Function<StatusQueries, CompletableFuture<Reply>> query) {
        StatusQueries current = queries;
        if (current == null) {
            Reply.unavailable("the status view is starting").writeTo(ctx);
            return;
        }
        ctx.future(() -> query.apply(current).thenAccept(reply -> reply.writeTo(ctx)));
    }

    private Asker asker(Context ctx) {
        return new Asker(readable.apply(ctx), ctx.header(Header.AUTHORIZATION), ctx.header(OwnerForwarder.FORWARDED) != null);
    }
}
