package dev.conveyor.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the status view of a gateway over HTTP. Waiting is a chain of long-polls
 * ({@code GET /tasks/{id}?wait=…}) sent asynchronously: no thread waits, and the gateway answers as
 * soon as the task finishes. A task not in the view yet (its first event still on its way) and a view
 * that answers 503 (rebalancing or restoring) are asked again after a short pause, within the deadline.
 */
final class StatusViewClient {

    /** The longest wait one request asks for: the gateway's bound on {@code wait}. */
    static final Duration MAX_POLL = Duration.ofSeconds(30);
    /** Pause before asking again about a task the view does not know yet. */
    static final Duration NOT_YET_SEEN_PAUSE = Duration.ofMillis(200);
    /** Least pause between two polls: a gateway that answers at once cannot make this client spin. */
    static final Duration MIN_PAUSE = Duration.ofMillis(50);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    private final String apiKey;
    private final HttpClient http;
    private final Clock clock;

    /** @param apiKey sent as {@code Authorization: Bearer <key>}; null for a gateway without authentication */
    StatusViewClient(URI gateway, String apiKey, Clock clock) {
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    CompletableFuture<Optional<TaskStatusReport>> status(String taskId) {
        return get(taskId, null).thenApply(Answer::report);
    }

    /** Completes with the task's report once it has finished (or is a duplicate), or fails with a {@link TimeoutException}. */
    CompletableFuture<TaskStatusReport> awaitFinished(String taskId, Duration timeout) {
        return poll(taskId, clock.instant().plus(timeout));
    }

    private CompletableFuture<TaskStatusReport> poll(String taskId, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            return CompletableFuture.failedFuture(new TimeoutException("task " + taskId + " did not finish in time"));
        }
        Duration wait = left.compareTo(MAX_POLL) > 0 ? MAX_POLL : left;
        return get(taskId, wait).thenCompose(answer -> {
            Optional<TaskStatusReport> report = answer.report();
            if (report.isPresent() && (report.get().finished() || report.get().duplicate())) {
                return CompletableFuture.completedFuture(report.get());
            }
            // not seen yet, unavailable, or terminal but its result event still on its way: ask again after a pause
            Duration pause = answer.retryAfter() != null ? answer.retryAfter()
                    : report.isEmpty() || "DEAD_LETTERED".equals(report.get().state()) ? NOT_YET_SEEN_PAUSE : MIN_PAUSE;
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> poll(taskId, deadline));
        });
    }

    private record Answer(Optional<TaskStatusReport> report, Duration retryAfter) {
    }

    private CompletableFuture<Answer> get(String taskId, Duration wait) {
        String path = "/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8) + (wait == null ? "" : "?wait=" + wait.toMillis() + "ms");
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout((wait == null ? Duration.ZERO : wait).plusSeconds(10)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> switch (response.statusCode()) {
            case 200 -> new Answer(Optional.of(TaskStatusReport.parse(read(response.body()))), null);
            case 404 -> new Answer(Optional.empty(), null);
            case 503 -> new Answer(Optional.empty(), Duration.ofSeconds(response.headers().firstValueAsLong("Retry-After").orElse(1)));
            default -> throw new IllegalStateException("the status view answered " + response.statusCode() + ": " + response.body());
        });
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the status view answered something that is not JSON", e);
        }
    }
}
