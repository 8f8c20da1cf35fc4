package dev.conveyor.notifier;

import dev.conveyor.trace.Traceparent;
import dev.conveyor.DeliveryAttempt;
import dev.conveyor.DeliveryBlockedException;
import dev.conveyor.DeliveryRefusedException;
import dev.conveyor.NotificationChannel;
import dev.conveyor.net.CallbackUrl;
import dev.conveyor.net.InvalidCallbackUrlException;
import dev.conveyor.schema.TaskResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * POSTs the result as JSON to the task's {@code callbackUrl}, once per attempt, signed per Standard
 * Webhooks. A 2xx answer is delivered; a 4xx other than 408 or 429 means the receiver refuses it,
 * which no retry changes; anything else (a redirect, which is not followed, 5xx, timeouts, refused
 * connections) fails the attempt, and the notifier retries it through its delay tiers. A callback
 * URL that leads to a blocked address, or has a form no webhook takes, is blocked: never sent, never
 * retried. Receivers also get {@code Conveyor-Task-Id} and {@code Idempotency-Key} headers, and the task's
 * W3C {@code traceparent}, unchanged, when it has one.
 */
final class WebhookChannel implements NotificationChannel {

    static final String NAME = "webhook";
    /** Keeps a stack of nested causes readable in a dead letter's error. */
    private static final int MAX_CAUSES = 8;

    private final HttpClient http;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final int maxResponseBytes;

    /**
     * @param http a started client whose resolver enforces the address policy; the channel stops it on close
     */
    WebhookChannel(HttpClient http, WebhookSigner signer, Duration timeout, int maxResponseBytes) {
        this.http = http;
        this.signer = signer;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(TaskResult result) {
        return result.getCallbackUrl() != null;
    }

    @Override
    public void deliver(TaskResult result) throws IOException, InterruptedException, DeliveryRefusedException {
        deliver(result, new DeliveryAttempt(result.getTaskId(), 0, NAME, 1));
    }

    @Override
    public void deliver(TaskResult result, DeliveryAttempt attempt) throws IOException, InterruptedException, DeliveryRefusedException {
        String url = result.getCallbackUrl();
        CallbackUrl callback;
        try {
            callback = CallbackUrl.parse(url);
        } catch (InvalidCallbackUrlException e) {
            throw new DeliveryBlockedException("webhook not sent: callbackUrl " + e.getMessage(), e.rule());
        }
        byte[] body = ResultJson.of(result).getBytes(StandardCharsets.UTF_8);
        WebhookSigner.Headers signed = signer.sign(attempt.deliveryId(), callback.host(), body);
        Request request = http.newRequest(callback.uri())
                .method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    headers.put("Conveyor-Task-Id", result.getTaskId());
                    headers.put("Idempotency-Key", result.getTaskId());
                    if (attempt.traceparent() != null) {
                        headers.put(Traceparent.HEADER, attempt.traceparent());
                    }
                    signed.forEach(headers::put);
                })
                .body(new BytesRequestContent("application/json", body));
        CappedAnswer.Answer answer = send(request, url);
        int status = answer.status();
        if (status / 100 == 2) {
            return;
        }
        if (status / 100 == 3) {
            throw new IOException("webhook " + url + " answered HTTP " + status + (answer.location() == null ? "" : " to "
                    + answer.location()) + "; redirects are not followed: give the task the final URL");
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new DeliveryRefusedException(url + " refused the result: HTTP " + status);
        }
        throw new IOException("webhook " + url + " answered HTTP " + status);
    }

    private CappedAnswer.Answer send(Request request, String url) throws IOException, InterruptedException, DeliveryBlockedException {
        CappedAnswer listener = new CappedAnswer(maxResponseBytes);
        request.send(listener);
        try {
            return listener.answer().get();
        } catch (InterruptedException e) {
            // the notifier is stopping or the attempt was given up: free the connection now
            request.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw failure(url, e.getCause());
        }
    }

    private IOException failure(String url, Throwable cause) throws DeliveryBlockedException {
        Throwable root = cause;
        for (int depth = 0; root != null && depth < MAX_CAUSES; depth++, root = root.getCause()) {
            if (root instanceof BlockedAddressException blocked) {
                throw new DeliveryBlockedException("webhook " + url + " not sent: " + blocked.getMessage() + ", not in "
                        + WebhookSettings.ALLOWED_NETWORKS, blocked.blocked().rule());
            }
        }
        if (cause instanceof TimeoutException) {
            return new IOException("webhook " + url + " did not answer within " + timeout.toMillis() + " ms", cause);
        }
        return new IOException("webhook " + url + " failed: " + cause, cause);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the webhook HTTP client failed", e);
        }
    }
}
