package dev.conveyor.producer.status;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /tasks/{id}} (optionally {@code ?wait=30s}), {@code GET /tasks/{id}/events} and
 * {@code GET /stats}. Requests are checked before anything is looked up, and answered asynchronously:
 * a waiting request holds no thread. Until the view has started, every answer is a 503.
 */
final class StatusRoutes {

    static final String WAIT = "wait";

    private volatile StatusQueries queries;

    /** Answers from {@code queries} from now on. */
    void serve(StatusQueries queries) {
        this.queries = queries;
    }

    void routes(Javalin app) {
        app.get("/tasks/{id}", ctx -> task(ctx, StatusQueries.Document.STATUS, Set.of(WAIT)));
        app.get("/tasks/{id}/events", ctx -> task(ctx, StatusQueries.Document.EVENTS, Set.of()));
        app.get("/stats", this::stats);
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
        answer(ctx, current -> current.task(id, document, wait, forwarded(ctx)));
    }

    private void stats(Context ctx) {
        try {
            StatusRequests.onlyKnownParameters(ctx.queryParamMap(), Set.of());
        } catch (StatusRequests.Invalid e) {
            Reply.invalid(e.getMessage()).writeTo(ctx);
            return;
        }
        answer(ctx, current -> current.stats(forwarded(ctx)));
    }

    private void answer(Context ctx, java.util.function.Function<StatusQueries, CompletableFuture<Reply>> query) {
        StatusQueries current = queries;
        if (current == null) {
            Reply.unavailable("the status view is starting").writeTo(ctx);
            return;
        }
        ctx.future(() -> query.apply(current).thenAccept(reply -> reply.writeTo(ctx)));
    }

    private static boolean forwarded(Context ctx) {
        return ctx.header(OwnerForwarder.FORWARDED) != null;
    }
}
