package dev.conveyor.console.tasks;

import dev.conveyor.http.AppServer;
import dev.conveyor.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The task page's API: a task's status and timeline, asked of the gateway's status view with the
 * console's own key and answered as the gateway answers (a 404 problem for an id it never saw).
 */
public final class TaskRoutes {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ID = "(?!\\.+$)[A-Za-z0-9._:-]{1,200}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI gateway;
    private final String apiKey;

    public TaskRoutes(URI gateway, String apiKey) {
        this.gateway = gateway;
        this.apiKey = apiKey;
    }

    public void routes(Javalin app) {
        app.get("/api/tasks/{id}", ctx -> forward(ctx, "/tasks/" + ctx.pathParam("id")));
        app.get("/api/tasks/{id}/events", ctx -> forward(ctx, "/tasks/" + ctx.pathParam("id") + "/events"));
        app.get("/api/stats", ctx -> forward(ctx, "/stats"));
    }

    private void forward(Context ctx, String path) throws InterruptedException {
        if (ctx.pathParamMap().containsKey("id") && !ctx.pathParam("id").matches(ID)) {
            AppServer.problem(ctx, Problem.of("bad-request", "Bad request", 400, "'" + ctx.pathParam("id") + "' is not a task id"));
            return;
        }
        String base = gateway.toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET();
        if (!apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                // the console's own key, not the operator's session: the browser must not be sent to sign in again
                AppServer.problem(ctx, Problem.of("gateway-refused", "Gateway refused the console", 502, "the status view at " + gateway
                        + " answered " + answer.statusCode() + ": check " + "CONSOLE_GATEWAY_API_KEY (scopes read and admin)"));
                return;
            }
            ctx.status(answer.statusCode()).contentType(answer.headers().firstValue("Content-Type").orElse("application/json"))
                    .result(answer.body());
        } catch (IOException e) {
            AppServer.problem(ctx, Problem.of("gateway-unreachable", "Gateway unreachable", 502,
                    "the status view at " + gateway + " did not answer: " + e.getMessage()));
        }
    }
}
