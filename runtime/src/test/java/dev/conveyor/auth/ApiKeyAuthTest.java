package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.http.AppServer;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The check before every route, on a real HTTP server: which requests reach their route, and what the others are answered. */
class ApiKeyAuthTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey BILLING = NewApiKey.generate("billing", EnumSet.of(Scope.SUBMIT, Scope.READ), "email.*", 1);
    static final NewApiKey READER = NewApiKey.generate("reader", EnumSet.of(Scope.READ), "", 0);
    static final NewApiKey OPS = NewApiKey.generate("ops", EnumSet.of(Scope.ADMIN), "", 0);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final HttpClient http = HttpClient.newHttpClient();
    Javalin server;

    void start(boolean metricsAuth) {
        KeyRing ring = KeyRing.open(new AuthSettings(true, null, List.of(BILLING.stored(), READER.stored(), OPS.stored()), metricsAuth),
                KeyRing.DEFAULT_CHECK_INTERVAL, new TestClock());
        ApiKeyAuth auth = new ApiKeyAuth(ring, new RateLimiter(new TestClock()), metricsAuth, meters);
        server = Javalin.create();
        auth.install(server);
        server.get(ApiKeyAuth.HEALTH_PATH, ctx -> ctx.result("up"));
        server.get(ApiKeyAuth.METRICS_PATH, ctx -> ctx.result("metrics"));
        server.get("/unscoped", ctx -> ctx.result("admin only"));
        server.get("/read", ctx -> {
            Predicate<String> readable = auth.readable(ctx);
            ctx.result("own " + readable.test(auth.submitter(ctx).orElseThrow()) + ", other " + readable.test("someone") + ", none " + readable.test(null));
        }, Scope.READ);
        server.post("/submit", ctx -> auth.admit(ctx, Set.of(ctx.body().split(",")), ctx.body().split(",").length)
                .ifPresentOrElse(problem -> AppServer.problem(ctx, problem), () -> ctx.result("admitted")), Scope.SUBMIT);
        server.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
        http.close();
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(HttpResponse<String> response, int status, String kind, String detail) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:conveyor:problem:" + kind);
        assertThat(problem.get("detail").asText()).contains(detail);
    }

    @Test
    void givenNoKeyAMalformedHeaderOrAWrongKeyThenTheRouteDoesNotRunAndTheAnswerIs401WithABearerChallenge() throws Exception {
        // given
        start(false);

        // when
        HttpResponse<String> missing = send("GET", "/read", null, null);
        List<HttpResponse<String>> malformed = List.of(send("GET", "/read", "Basic dXNlcjpwYXNz", null), send("GET", "/read", "Bearer", null),
                send("GET", "/read", "Bearer two words", null), send("GET", "/read", "Bearer " + "a".repeat(300), null));
        HttpResponse<String> wrong = send("GET", "/read", "Bearer cvk_not-a-key", null);

        // then
        assertProblem(missing, 401, "unauthorized", "Authorization: Bearer <key>");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"conveyor\"");
        for (HttpResponse<String> response : malformed) {
            assertProblem(response, 401, "unauthorized", "not Bearer <key>");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"conveyor\", error=\"invalid_token\"");
        }
        assertProblem(wrong, 401, "unauthorized", "not valid");
        assertThat(meters.counter(ApiKeyAuth.REFUSED_METRIC, "reason", "malformed").count()).isEqualTo(4);
    }

    @Test
    void givenAValidKeyThenTheSchemeIsCaseInsensitiveAndAKeyReadsItsOwnTasksWhileAnAdminKeyReadsEveryTask() throws Exception {
        // given
        start(false);

        // when
        HttpResponse<String> own = send("GET", "/read", "bearer " + BILLING.key(), null);
        HttpResponse<String> admin = send("GET", "/read", OPS.authorization(), null);

        // then
        assertThat(own.body()).isEqualTo("own true, other false, none false");
        assertThat(admin.body()).isEqualTo("own true, other true, none true");
    }

    @Test
    void givenAKeyWithoutTheRoutesScopeThenTheAnswerIs403NamingTheScope() throws Exception {
        // given
        start(false);

        // when
        HttpResponse<String> readerSubmits = send("POST", "/submit", READER.authorization(), "email.send");
        HttpResponse<String> billingOnUnscoped = send("GET", "/unscoped", BILLING.authorization(), null);
        HttpResponse<String> opsOnUnscoped = send("GET", "/unscoped", OPS.authorization(), null);
        HttpResponse<String> opsSubmits = send("POST", "/submit", OPS.authorization(), "email.send");

        // then
        assertProblem(readerSubmits, 403, "forbidden", "the API key 'reader' does not have the submit scope");
        assertThat(readerSubmits.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"conveyor\", error=\"insufficient_scope\", scope=\"submit\"");
        assertProblem(billingOnUnscoped, 403, "forbidden", "admin scope");
        assertThat(opsOnUnscoped.body()).as("a route that names no scope is the admin's").isEqualTo("admin only");
        assertProblem(opsSubmits, 403, "forbidden", "submit scope");
    }

    @Test
    void givenTypesOutsideTheKeyOrOverItsRateThenAdmittingIsRefusedWith403Or429() throws Exception {
        // given billing: email.* at 1 task per second
        start(false);

        // when
        HttpResponse<String> outside = send("POST", "/submit", BILLING.authorization(), "email.send,video.encode,echo");
        HttpResponse<String> first = send("POST", "/submit", BILLING.authorization(), "email.send");
        HttpResponse<String> second = send("POST", "/submit", BILLING.authorization(), "email.send");

        // then
        assertProblem(outside, 403, "forbidden", "may not submit tasks of type echo, video.encode; it may submit email.*");
        assertThat(first.body()).isEqualTo("admitted");
        assertProblem(second, 429, "rate-limited", "the API key 'billing' may submit 1 tasks per second");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void givenHealthMetricsAndUnknownPathsThenHealthIsOpenMetricsOpenByDefaultAndAnUnknownPathStaysA404() throws Exception {
        // given
        start(false);

        // then
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/nope", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void givenMetricsAuthThenMetricsNeedAnAdminKeyAndHealthStaysOpen() throws Exception {
        // given
        start(true);

        // then
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", BILLING.authorization(), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/metrics", OPS.authorization(), null).body()).isEqualTo("metrics");
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }
}
