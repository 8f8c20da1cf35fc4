package dev.conveyor.producer.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance that owns a task (or every instance, for {@code /stats}) over HTTP, without a
 * thread waiting on the answer. A forwarded request carries {@link #FORWARDED}, so its receiver
 * answers from what it holds and never forwards it again.
 */
final class OwnerForwarder implements AutoCloseable {

    static final String FORWARDED = "X-Conveyor-Forwarded";
    static final String AUTHORIZATION = "Authorization";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** On top of a forwarded wait: the owner's answer has that long to travel back. */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    private final ExecutorService answers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("status-forward-", 0).factory());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(answers).build();

    /**
     * The owner's answer as it came, or a 503 when it could not be had. The asker's {@code Authorization}
     * goes along: the owner authenticates the request itself, so forwarding grants nothing.
     */
    CompletableFuture<Reply> get(HostInfo owner, String pathAndQuery, Duration wait, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .header(FORWARDED, "1").timeout(wait.plus(ANSWER_MARGIN)).GET();
        if (authorization != null) {
            builder.header(AUTHORIZATION, authorization);
        }
        HttpRequest request = builder.build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> failure == null
                ? new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body(), null,
                        response.headers().firstValue("Retry-After").orElse(null))
                : Reply.unavailable("the instance at " + owner + " holding this part of the view did not answer: " + failure));
    }

    /** Abandons forwarded requests still in flight (a forwarded wait may have a minute left). */
    @Override
    public void close() {
        http.shutdownNow();
        answers.shutdownNow();
    }
}
