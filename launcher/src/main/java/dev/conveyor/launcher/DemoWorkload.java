package dev.conveyor.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits a mix of tasks over HTTP, the way an upstream service would: mostly quick ones, some slow,
 * some real mails, and some that fail (a failing handler and a type nobody handles).
 */
public final class DemoWorkload {

    /** Task kinds in the demo and their share of the mix, in percent. */
    static final Map<String, Integer> MIX = Map.of("echo", 55, "sleep", 15, "email.send", 15, "fail", 10, "report.render", 5);
    static final int CONCURRENCY = 32;
    static final int DEMO_MAX_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String producerUrl;
    private final String authorization;
    private final String callbackUrl;
    private final DemoProgress progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(42);

    /** @param authorization the {@code Authorization} header of its requests: {@code Bearer <API key>} */
    public DemoWorkload(String producerUrl, String authorization, String callbackUrl, DemoProgress progress) {
        this.producerUrl = producerUrl;
        this.authorization = authorization;
        this.callbackUrl = callbackUrl;
        this.progress = progress;
    }

    /** Submits {@code count} tasks, at most {@link #CONCURRENCY} requests at a time; returns once all were answered. */
    public void submit(int count) throws InterruptedException {
        Semaphore slots = new Semaphore(CONCURRENCY);
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            while (next.get() < count) {
                int i = next.getAndIncrement();
                String body = taskJson(i);
                slots.acquire();
                requests.execute(() -> {
                    try {
                        send(body);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private void send(String body) {
        long sentAt = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(producerUrl + "/tasks"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                JsonNode answer = JSON.readTree(response.body());
                progress.submitted(answer.get("id").asText(), JSON.readTree(body).get("type").asText(), sentAt);
            } else {
                progress.rejected(response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            progress.rejected(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String taskJson(int i) {
        String type = pickType();
        Map<String, Object> payload = switch (type) {
            case "sleep" -> Map.of("ms", 10 + random.nextInt(190));
            case "email.send" -> Map.of("to", "user-" + i + "@example.com", "subject", "Welcome #" + i,
                    "body", "Thanks for signing up. This mail was sent by Conveyor's email.send handler.");
            // half of them recover on a retry, half exhaust their attempts and are dead-lettered
            case "fail" -> i % 2 == 0 ? Map.of("message", "simulated failure #" + i, "failAttempts", 1)
                    : Map.of("message", "simulated failure #" + i);
            default -> Map.of("n", i);
        };
        Map<String, Object> task = Map.of(
                "type", type,
                "key", "customer-" + (i % 100),
                "payload", payload,
                "callbackUrl", callbackUrl,
                "headers", Map.of("source", "demo"),
                "maxAttempts", DEMO_MAX_ATTEMPTS);
        try {
            return JSON.writeValueAsString(task);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String pickType() {
        int roll = random.nextInt(100);
        int sum = 0;
        for (String type : new String[] {"echo", "sleep", "email.send", "fail", "report.render"}) {
            sum += MIX.get(type);
            if (roll < sum) {
                return type;
            }
        }
        return "echo";
    }
}
