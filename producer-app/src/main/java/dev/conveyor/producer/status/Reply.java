package dev.conveyor.producer.status;

import dev.conveyor.http.AppServer;
import dev.conveyor.http.Problem;
import io.javalin.http.Context;

/** An answer to a status request: a JSON document, a problem, or another instance's answer passed on as it came. */
record Reply(int status, String contentType, String body, Problem problem, String retryAfter) {

    static final String JSON = "application/json";
    /** Seconds a client waits before asking again after a 503: a rebalance or a restore usually ends within a few. */
    static final String RETRY_AFTER_SECONDS = "1";

    static Reply json(String body) {
        return new Reply(200, JSON, body, null, null);
    }

    static Reply problem(Problem problem) {
        return new Reply(problem.status(), null, null, problem, problem.status() == 503 ? RETRY_AFTER_SECONDS : null);
    }

    static Reply invalid(String detail) {
        return problem(Problem.of("invalid-request", "Invalid request", 400, detail));
    }

    static Reply notFound(String id) {
        return problem(Problem.of("task-not-found", "Task not found", 404, "the status view has no event of task " + id
                + ": it was never submitted, its first event is not folded in yet, or it was forgotten after the retention"));
    }

    /** The view cannot answer right now (rebalancing, restoring, its owner unreachable); asking again shortly will do. */
    static Reply unavailable(String detail) {
        return problem(Problem.of("status-unavailable", "Status view unavailable", 503, detail));
    }

    static Reply overloaded(int limit) {
        return problem(Problem.of("overloaded", "Too many waiting requests", 503,
                "this instance already holds its limit of " + limit + " waiting requests; retry shortly or without wait"));
    }

    void writeTo(Context ctx) {
        if (retryAfter != null) {
            ctx.header("Retry-After", retryAfter);
        }
        if (problem != null) {
            AppServer.problem(ctx, problem);
        } else {
            ctx.status(status).result(body);
            if (contentType != null) {
                ctx.contentType(contentType);
            }
        }
    }
}
