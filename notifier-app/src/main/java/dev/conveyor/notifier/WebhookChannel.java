package dev.conveyor.notifier;

import dev.conveyor.schema.TaskResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs the result as JSON to the task's {@code callbackUrl}. A 2xx answer is delivered; a 4xx
 * other than 408 or 429 means the receiver refuses it, which no retry changes; anything else
 * (5xx, timeouts, refused connections) is retried with doubling backoff up to the attempt limit.
 * Receivers get {@code Conveyor-Task-Id} and {@code Idempotency-Key} headers to drop duplicates.
 */
final class WebhookChannel implements NotificationChannel {

    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration backoff;

    WebhookChannel(HttpClient http, Duration timeout, int maxAttempts, Duration backoff) {
        this.http = http;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
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
    public void deliver(TaskResult result) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(result.getCallbackUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Conveyor-Task-Id", result.getTaskId())
                .header("Idempotency-Key", result.getTaskId())
                .POST(HttpRequest.BodyPublishers.ofString(ResultJson.of(result)))
                .build();
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            String failure;
            int status = -1;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                failure = "HTTP " + status;
            } catch (IOException e) {
                failure = e.toString();
            }
            if (status / 100 == 2) {
                return;
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                throw new WebhookRefusedException(result.getCallbackUrl() + " refused the result: " + failure);
            }
            if (attempt >= maxAttempts) {
                throw new IOException("webhook " + result.getCallbackUrl() + " failed " + attempt + " times; last: " + failure);
            }
            // a blocked virtual thread is cheap; the record's offset waits for the outcome either way
            Thread.sleep(wait.toMillis());
            wait = wait.multipliedBy(2);
        }
    }

    static final class WebhookRefusedException extends IOException {
        WebhookRefusedException(String message) {
            super(message);
        }
    }
}
