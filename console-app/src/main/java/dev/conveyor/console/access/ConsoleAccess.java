package dev.conveyor.console.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.auth.ApiKey;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.KeyRing;
import dev.conveyor.auth.Scope;
import dev.conveyor.http.AppServer;
import dev.conveyor.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Who may use the console: the gateway's API keys with the admin scope. A browser signs in once with
 * a key ({@code POST /api/login}) and then carries an HttpOnly, SameSite=Strict session cookie; a
 * script may instead send {@code Authorization: Bearer <key>} on each request. Every POST made with a
 * session must carry the session's CSRF token in {@value #CSRF_HEADER}. With {@code AUTH=none} anyone
 * who reaches the port is {@value #ANONYMOUS}, and POSTs still need a session's token.
 */
public final class ConsoleAccess {

    public static final String COOKIE = "conveyor_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String ANONYMOUS = "anonymous";
    private static final String CALLER = "conveyor.console.caller";
    private static final String BEARER = "Bearer ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyRing ring;
    private final ConsoleSessions sessions;

    private ConsoleAccess(KeyRing ring, ConsoleSessions sessions) {
        this.ring = ring;
        this.sessions = sessions;
    }

    public static ConsoleAccess from(AuthSettings settings, Clock clock) {
        if (!settings.enabled()) {
            LoggerFactory.getLogger(ConsoleAccess.class).warn("{}={}: anyone who reaches the console's port may replay and purge dead"
                    + " letters; the audit log records them as '{}'", AuthSettings.AUTH, AuthSettings.NO_AUTH, ANONYMOUS);
            return new ConsoleAccess(null, new ConsoleSessions(clock));
        }
        return new ConsoleAccess(KeyRing.open(settings, KeyRing.DEFAULT_CHECK_INTERVAL, clock), new ConsoleSessions(clock));
    }

    /** Who made the request, once {@link #install} let it through. */
    public static String caller(Context ctx) {
        String caller = ctx.attribute(CALLER);
        return caller == null ? ANONYMOUS : caller;
    }

    public void install(Javalin app) {
        app.before("/api/*", this::check);
        app.post("/api/login", this::login);
        app.post("/api/logout", ctx -> {
            sessions.close(ctx.cookie(COOKIE));
            ctx.header(Header.SET_COOKIE, COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.status(204);
        });
        app.get("/api/session", ctx -> {
            Optional<ConsoleSessions.Session> found = sessions.find(ctx.cookie(COOKIE));
            if (found.isEmpty() && ring != null) {
                // a Bearer caller has no session to describe; sessions are made only by signing in
                refuse(ctx, 401, "sign in with an API key that has the admin scope");
                return;
            }
            ConsoleSessions.Session session = found.orElseGet(() -> {
                // without authentication a session is only the carrier of a CSRF token
                ConsoleSessions.Session anonymous = sessions.open(ANONYMOUS, null);
                setCookie(ctx, anonymous);
                return anonymous;
            });
            ctx.json(Map.of("caller", session.caller(), "csrf", session.csrf(), "authenticated", ring != null));
        });
    }

    private void check(Context ctx) {
        String path = ctx.path();
        if (path.equals("/api/login") || path.equals("/api/session") && ring == null) {
            return;
        }
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()) && ring != null) {
            Optional<ApiKey> key = ring.find(authorization.substring(BEARER.length()).trim());
            if (key.isEmpty()) {
                refuse(ctx, 401, "the API key is not valid (unknown, or revoked)");
            } else if (!key.get().has(Scope.ADMIN)) {
                refuse(ctx, 403, "the API key '" + key.get().id() + "' does not have the admin scope the console needs");
            } else {
                ctx.attribute(CALLER, key.get().id());
            }
            return;
        }
        Optional<ConsoleSessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        if (session.isEmpty()) {
            if (ring == null && ctx.method() != HandlerType.POST) {
                return;
            }
            refuse(ctx, 401, ring == null ? "ask GET /api/session for a session and its CSRF token first"
                    : "sign in with an API key that has the admin scope");
            return;
        }
        if (ring != null && !ring.holds(session.get().key(), Scope.ADMIN)) {
            // the key was revoked, or lost the admin scope, since it signed in: so does its session
            sessions.close(session.get().id());
            refuse(ctx, 401, "the API key this session signed in with is no longer valid for the console; sign in again");
            return;
        }
        if (ctx.method() == HandlerType.POST && !session.get().csrfMatches(ctx.header(CSRF_HEADER))) {
            refuse(ctx, 403, "the request lacks this session's CSRF token in the " + CSRF_HEADER + " header");
            return;
        }
        ctx.attribute(CALLER, session.get().caller());
    }

    private void login(Context ctx) throws Exception {
        if (ring == null) {
            refuse(ctx, 400, "the console runs without authentication (AUTH=none); there is nothing to sign in to");
            return;
        }
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
        String presented = body.path("key").asText("");
        Optional<ApiKey> key = presented.isEmpty() ? Optional.empty() : ring.find(presented);
        if (key.isEmpty()) {
            refuse(ctx, 401, "the API key is not valid (unknown, or revoked)");
            return;
        }
        if (!key.get().has(Scope.ADMIN)) {
            refuse(ctx, 403, "the API key '" + key.get().id() + "' does not have the admin scope the console needs");
            return;
        }
        ConsoleSessions.Session session = sessions.open(key.get().id(), key.get());
        setCookie(ctx, session);
        ctx.json(Map.of("caller", session.caller(), "csrf", session.csrf(), "authenticated", true));
    }

    private static void setCookie(Context ctx, ConsoleSessions.Session session) {
        ctx.header(Header.SET_COOKIE, COOKIE + "=" + session.id() + "; Path=/; Max-Age=" + ConsoleSessions.LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict");
    }

    private static void refuse(Context ctx, int status, String detail) {
        String title = switch (status) {
            case 401 -> "Sign-in required";
            case 403 -> "Forbidden";
            default -> "Bad request";
        };
        if (status == 401) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"conveyor-console\"");
        }
        AppServer.problem(ctx, Problem.of(status == 401 ? "unauthorized" : status == 403 ? "forbidden" : "bad-request", title, status, detail));
        ctx.skipRemainingHandlers();
    }
}
