package dev.conveyor.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face every app shares: {@code GET /health} (200 only when every {@link HealthCheck}
 * passes, 503 before), {@code GET /metrics} in Prometheus text format, RFC 9457 errors, and
 * whatever routes the app adds; every response counted by route and status. Requests run on virtual threads.
 */
public final class AppServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppServer.class);
    /** Bounds any request body; apps enforce their own, tighter limits on what they accept. */
    public static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    private final String name;
    private final Javalin javalin;

    private AppServer(String name, Javalin javalin) {
        this.name = name;
        this.javalin = javalin;
    }

    public static AppServer start(String name, HttpSettings http, HealthCheck health, PrometheusMeterRegistry metrics,
                                  Consumer<Javalin> routes) {
        HttpResponses responses = new HttpResponses(metrics);
        Javalin javalin = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.requestLogger.http((ctx, millis) -> responses.count(ctx));
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
        });
        javalin.get("/health", ctx -> {
            Map<String, Boolean> checks = health.check();
            boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            Map<String, String> details = new LinkedHashMap<>();
            checks.forEach((check, ok) -> details.put(check, ok ? "UP" : "DOWN"));
            body.put("checks", details);
            ctx.status(up ? 200 : 503).json(body);
        });
        javalin.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        javalin.error(404, ctx -> {
            // a route's own 404 problem stands; only a request no route matched gets this one
            String answered = ctx.res().getContentType();
            if (ctx.result() == null || answered == null || !answered.startsWith(Problem.CONTENT_TYPE)) {
                problem(ctx, Problem.of("not-found", "Not found", 404, "no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("{}: unhandled error on {} {}", name, ctx.method(), ctx.path(), e);
            problem(ctx, Problem.of("internal", "Internal error", 500, "the request could not be handled; see the server log"));
        });
        routes.accept(javalin);
        javalin.start(http.port());
        // Javalin binds every interface; the time since the JVM started is what a restart costs before health can answer;
        // the maximum heap shows what the JVM made of a container's memory limit
        LOG.info("{} listening on port {} of every interface (http://0.0.0.0:{}), {} ms after the JVM started, max heap {} MiB", name,
                javalin.port(), javalin.port(), System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return new AppServer(name, javalin);
    }

    /**
     * Starts the server on a thread of its own while the caller builds the rest of the app, which a
     * restart would otherwise wait for: {@code /health} answers 503 until the checks pass. Join it before
     * the app is returned; if building fails, close it with {@link #closeQuietly}.
     */
    public static CompletableFuture<AppServer> startInBackground(String name, HttpSettings http, HealthCheck health,
                                                                 PrometheusMeterRegistry metrics, Consumer<Javalin> routes) {
        return CompletableFuture.supplyAsync(() -> start(name, http, health, metrics, routes),
                task -> Thread.ofPlatform().name(name + "-http-start").start(task));
    }

    /** Closes a server started in the background, for a build that failed after starting it. */
    public static void closeQuietly(CompletableFuture<AppServer> server) {
        server.thenAccept(AppServer::close);
    }

    /** Answers with an RFC 9457 problem document. */
    public static void problem(io.javalin.http.Context ctx, Problem problem) {
        ctx.status(problem.status()).json(problem.at(ctx.path())).contentType(Problem.CONTENT_TYPE);
    }

    public int port() {
        return javalin.port();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        LOG.info("{} HTTP server stopping", name);
        javalin.stop();
    }
}
