package dev.conveyor.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of echo tasks posted one by one to a gateway's {@code POST /tasks}, as clients would
 * send them while a fault happens: what the gateway acknowledged (202, with the task's id) is accepted;
 * what it refused (503 while Kafka could not take the task) or failed to answer is counted by answer.
 */
final class PacedSubmissions implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TICK = Duration.ofMillis(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "paced-submissions"));
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger answered = new AtomicInteger();

    /** Starts posting {@code total} tasks keyed {@code run-<n>} at {@code perSecond}; {@link #done()} completes when all are answered. */
    PacedSubmissions(String gatewayUrl, String run, int total, int perSecond) {
        URI tasks = URI.create(gatewayUrl + "/tasks");
        int perTick = Math.max(1, (int) (perSecond * TICK.toMillis() / 1000));
        AtomicInteger sent = new AtomicInteger();
        // the schedule paces the load; nothing waits on it
        pacer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick && sent.get() < total; i++) {
                post(tasks, run, sent.getAndIncrement(), total);
            }
        }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void post(URI tasks, String run, int n, int total) {
        String body = "{\"type\":\"echo\",\"key\":\"" + run + "-" + n + "\",\"payload\":{\"n\":" + n + "}}";
        HttpRequest request = HttpRequest.newBuilder(tasks).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                refused.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            } else if (response.statusCode() == 202) {
                accepted.add(idOf(response.body()));
            } else {
                refused.computeIfAbsent(Integer.toString(response.statusCode()), k -> new AtomicInteger()).incrementAndGet();
            }
            if (answered.incrementAndGet() == total) {
                done.complete(null);
            }
        });
    }

    private static String idOf(String body) {
        try {
            return JSON.readTree(body).path("id").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    CompletableFuture<Void> done() {
        return done;
    }

    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Submissions not acknowledged, by HTTP status or by the client's exception. */
    Map<String, Integer> refused() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        refused.forEach((answer, n) -> counts.put(answer, n.get()));
        return counts;
    }

    int refusedTotal() {
        return refused.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        http.close();
    }
}
