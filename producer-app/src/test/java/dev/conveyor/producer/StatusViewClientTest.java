package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's side of waiting for a result: how it reads the view's answers, against a scripted gateway. */
class StatusViewClientTest {

    record Scripted(int status, String body, String retryAfter) {
    }

    final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    final HttpServer gateway = start();

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    @Test
    void givenATaskNotSeenYetThenRestoringThenRunningThenSucceededThenAwaitResultCompletesWithTheViewsResult() throws Exception {
        // given a view that has not seen the task, then restores, then reports it running, then succeeded
        script.add(new Scripted(404, "{\"title\":\"not found\"}", null));
        script.add(new Scripted(503, "{\"title\":\"restoring\"}", "0"));
        script.add(new Scripted(200, document("RUNNING", null), null));
        script.add(new Scripted(200, document("SUCCEEDED", "{\"ok\":true}"), null));

        // when
        TaskResult result = client().awaitFinished("t-1", Duration.ofSeconds(10)).get().toResult();

        // then every request was a bounded long-poll, and the result is the view's
        assertThat(asked).hasSize(4).allSatisfy(query -> assertThat(query).matches("wait=\\d+ms"));
        assertThat(result.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(result.getOutput()).isEqualTo("{\"ok\":true}");
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getKey()).isEqualTo("k-1");
    }

    @Test
    void givenATaskThatNeverFinishesThenAwaitingFailsWithATimeout() {
        for (int i = 0; i < 50; i++) {
            script.add(new Scripted(200, document("RETRYING", null), null));
        }

        assertThatThrownBy(() -> client().awaitFinished("t-1", Duration.ofMillis(300)).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void givenAnUnknownTaskThenStatusIsEmptyAndAnUnexpectedAnswerIsAnError() throws Exception {
        script.add(new Scripted(404, "{}", null));
        script.add(new Scripted(400, "{\"title\":\"malformed id\"}", null));

        assertThat(client().status("t-1").get()).isEmpty();
        assertThatThrownBy(() -> client().status("bad").get()).hasMessageContaining("400");
    }

    private StatusViewClient client() {
        return new StatusViewClient(URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()), null, Clock.systemUTC());
    }

    private static String document(String state, String output) {
        return "{\"id\":\"t-1\",\"type\":\"echo\",\"key\":\"k-1\",\"state\":\"" + state + "\",\"attempts\":2,"
                + "\"queuedAt\":\"2026-06-01T12:00:00Z\",\"startedAt\":\"2026-06-01T12:00:01Z\",\"finishedAt\":\"2026-06-01T12:00:02Z\""
                + (output == null ? "" : ",\"result\":{\"status\":\"" + state + "\",\"output\":" + quoted(output) + ",\"outputTruncated\":false}")
                + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }

    private HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/tasks/", exchange -> {
                asked.add(String.valueOf(exchange.getRequestURI().getQuery()));
                Scripted next = script.isEmpty() ? new Scripted(500, "{}", null) : script.poll();
                if (next.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", next.retryAfter());
                }
                byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(next.status(), body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
