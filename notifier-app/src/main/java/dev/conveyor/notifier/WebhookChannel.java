package dev.conveyor.notifier;

import dev.conveyor.DeliveryRefusedException;
import dev.conveyor.NotificationChannel;
import dev.conveyor.schema.TaskResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs the result as JSON to the task's {@code callbackUrl}, once per attempt. A 2xx answer is
 * delivered; a 4xx other than 408 or 429 means the receiver refuses it, which no retry changes;
 * anything else (5xx, timeouts, refused connections) fails the attempt, and the notifier retries it
 * through its delay tiers. Receivers get {@code Conveyor-Task-Id} and {@code Idempotency-Key} headers
 * to drop duplicates.
 */
final class WebhookChannel implements NotificationChannel {

    private final HttpClient http;
    private final Duration timeout;

    WebhookChannel(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public boolean accepts(TaskResult result) {
        return result.getCallbackUrl() != null;
    }

    @Override
    public void deliver(TaskResult result) throws IOException, InterruptedException, DeliveryRefusedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(result.getCallbackUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Conveyor-Task-Id", result.getTaskId())
                .header("Idempotency-Key", result.getTaskId())
                .POST(HttpRequest.BodyPublishers.ofString(ResultJson.of(result)))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new DeliveryRefusedException(result.getCallbackUrl() + " refused the result: HTTP " + status);
        }
        throw new IOException("webhook " + result.getCallbackUrl() + " answered HTTP " + status);
    }

    @Override
    public void close() {
        http.close();
    }
}
