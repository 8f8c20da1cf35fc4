package dev.conveyor.auth;

import dev.conveyor.http.AppServer;
import dev.conveyor.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API keys as bearer tokens ({@code Authorization: Bearer <key>}, RFC 6750). Each route names the
 * scope it needs; {@code GET /health} needs none, {@code GET /metrics} none unless {@code METRICS_AUTH}
 * is on, and a route that names no scope needs the admin scope.
 */
final class ApiKeyAuth implements GatewayAuth {

    /** {@code conveyor_auth_refused_total{reason}}: requests answered 401 or 403 before their route ran. */
    static final String REFUSED_METRIC = "conveyor.auth.refused";
    static final String REALM = "conveyor";
    static final String HEALTH_PATH = "/health";
    static final String METRICS_PATH = "/metrics";
    /** Generated keys are 47 characters; a longer token is not one of ours and is not hashed. */
    static final int MAX_KEY_LENGTH = 256;
    /** RFC 6750's {@code b64token} after the {@code Bearer} scheme, which is case-insensitive. */
    private static final Pattern BEARER = Pattern.compile("Bearer +([A-Za-z0-9._~+/-]+=*) *", Pattern.CASE_INSENSITIVE);
    private static final String CALLER = "conveyor.auth.caller";

    private final KeyRing ring;
    private final RateLimiter limiter;
    private final boolean metricsAuth;
    private final MeterRegistry meters;

    ApiKeyAuth(KeyRing ring, RateLimiter limiter, boolean metricsAuth, MeterRegistry meters) {
        this.ring = ring;
        this.limiter = limiter;
        this.metricsAuth = metricsAuth;
        this.meters = meters;
    }

    @Override
    public void install(Javalin app) {
        // only before matched routes: an unknown path stays a 404, whoever asks
        app.beforeMatched(this::authenticate);
    }

    private void authenticate(Context ctx) {
        Set<RouteRole> needed = needed(ctx);
        if (needed.isEmpty()) {
            return;
        }
        String header = ctx.header(Header.AUTHORIZATION);
        if (header == null) {
            refuse(ctx, "missing", challenge(null), Problem.of("unauthorized", "API key required", 401,
                    "send an API key as the header Authorization: Bearer <key>"));
            return;
        }
        Matcher bearer = BEARER.matcher(header);
        if (!bearer.matches() || bearer.group(1).length() > MAX_KEY_LENGTH) {
            refuse(ctx, "malformed", challenge("invalid_token"), Problem.of("unauthorized", "API key required", 401,
                    "the Authorization header is not Bearer <key>"));
            return;
        }
        Optional<ApiKey> key = ring.find(bearer.group(1));
        if (key.isEmpty()) {
            refuse(ctx, "invalid", challenge("invalid_token"), Problem.of("unauthorized", "API key required", 401,
                    "the API key is not valid (unknown, or revoked)"));
            return;
        }
        if (needed.stream().noneMatch(scope -> key.get().has((Scope) scope))) {
            String scopes = needed.stream().map(scope -> ((Scope) scope).text()).sorted().collect(Collectors.joining(" "));
            refuse(ctx, "scope", challenge("insufficient_scope") + ", scope=\"" + scopes + "\"", Problem.of("forbidden", "Forbidden", 403,
                    "the API key '" + key.get().id() + "' does not have the " + scopes + " scope this request needs"));
            return;
        }
        ctx.attribute(CALLER, key.get());
    }

    /** The scopes of which the route needs one; none for the open paths. */
    private Set<RouteRole> needed(Context ctx) {
        if (!ctx.routeRoles().isEmpty()) {
            return ctx.routeRoles();
        }
        String path = ctx.endpointHandlerPath();
        if (path.equals(HEALTH_PATH) || path.equals(METRICS_PATH) && !metricsAuth) {
            return Set.of();
        }
        return Set.of(Scope.ADMIN);
    }

    private static String challenge(String error) {
        return "Bearer realm=\"" + REALM + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
    }

    private void refuse(Context ctx, String reason, String challenge, Problem problem) {
        Counter.builder(REFUSED_METRIC).tag("reason", reason).description("requests refused for their API key before their route ran")
                .register(meters).increment();
        if (problem.status() == 401 || reason.equals("scope")) {
            ctx.header(Header.WWW_AUTHENTICATE, challenge);
        }
        AppServer.problem(ctx, problem);
        ctx.skipRemainingHandlers();
    }

    @Override
    public Optional<String> submitter(Context ctx) {
        return Optional.of(caller(ctx).id());
    }

    @Override
    public Optional<Problem> admit(Context ctx, Collection<String> types, int tasks) {
        ApiKey key = caller(ctx);
        Set<String> refused = types.stream().filter(type -> !key.types().allows(type)).collect(Collectors.toCollection(TreeSet::new));
        if (!refused.isEmpty()) {
            return Optional.of(Problem.of("forbidden", "Forbidden", 403, "the API key '" + key.id() + "' may not submit tasks of type "
                    + String.join(", ", refused) + "; it may submit " + (key.types().none() ? "none" : key.types().toString())));
        }
        Optional<Duration> wait = limiter.tryAcquire(key, tasks);
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        ctx.header(Header.RETRY_AFTER, Long.toString(seconds));
        return Optional.of(Problem.of("rate-limited", "Too many tasks", 429, "the API key '" + key.id() + "' may submit "
                + KeyLines.rateText(key.tasksPerSecond()) + " tasks per second" + (tasks > 1 ? " and this request has " + tasks : "")
                + "; retry after " + seconds + " s"));
    }

    @Override
    public Predicate<String> readable(Context ctx) {
        return caller(ctx)::mayRead;
    }

    /** The authenticated key; every route that asks has a scope, so {@link #authenticate} set it. */
    private static ApiKey caller(Context ctx) {
        ApiKey key = ctx.attribute(CALLER);
        if (key == null) {
            throw new IllegalStateException(ctx.method() + " " + ctx.path() + " asks for its caller, but its route needs no scope");
        }
        return key;
    }
}
