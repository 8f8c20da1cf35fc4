package dev.conveyor.notifier;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Listens to one webhook exchange. The status line decides the delivery; of the body at most
 * {@code maxBodyBytes} are read (and dropped), so a receiver cannot make the notifier buffer a large
 * or endless answer. Past the cap the exchange is aborted, which closes the connection, and the status
 * still counts; so it does when the body is cut off by the attempt's timeout.
 */
final class CappedAnswer implements Response.Listener {

    /** The receiver's answer: its status and, for a redirect, where to (or null). */
    record Answer(int status, String location) {
    }

    private final int maxBodyBytes;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private volatile Answer headers;
    // the client calls onContent for one exchange one buffer at a time
    private long bodyBytes;

    CappedAnswer(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    CompletableFuture<Answer> answer() {
        return answer;
    }

    @Override
    public void onHeaders(Response response) {
        headers = new Answer(response.getStatus(), response.getHeaders().get(HttpHeader.LOCATION));
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        bodyBytes += content.remaining();
        content.position(content.limit());
        if (bodyBytes > maxBodyBytes) {
            response.abort(new BodyCapReached(maxBodyBytes));
        }
    }

    @Override
    public void onComplete(Result result) {
        Answer received = headers;
        if (received != null) {
            answer.complete(received);
        } else {
            Throwable failure = result.getFailure();
            answer.completeExceptionally(failure != null ? failure : new IllegalStateException("the exchange ended without an answer"));
        }
    }

    /** Why an exchange whose answer was too long was aborted. */
    static final class BodyCapReached extends Exception {
        BodyCapReached(int maxBodyBytes) {
            super("the answer's body is longer than " + maxBodyBytes + " bytes; the rest is not read", null, false, false);
        }
    }
}
