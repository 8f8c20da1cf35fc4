package dev.conveyor.kafka;

import dev.conveyor.trace.Traceparent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers every task record carries wherever it is written (submission, delay tier, retry tier,
 * replay), so the consumer engine can act on them before it decodes the value.
 */
public final class TaskHeaders {

    /** The task's type, UTF-8: chooses the type's {@code ORDERING_BY_TYPE} mode before the value is decoded. */
    public static final String TYPE = "conveyor.type";
    /**
     * W3C trace context: set by the gateway or the Java client on every task (the caller's, or a new
     * trace), carried from a task's record to every record its outcome writes and to its events.
     */
    public static final String TRACEPARENT = Traceparent.HEADER;
    public static final String TRACESTATE = "tracestate";
    /**
     * Which run of the task a record belongs to: absent for the submission, the replay's time in epoch
     * milliseconds (decimal text) on a task replayed from a dead letter and on every record it leads to,
     * so the status view tells a replayed run from the one that ended in the dead letter.
     */
    public static final String RUN = "conveyor.run";

    private TaskHeaders() {
    }

    /** Replaces any type header with {@code type}. */
    public static void putType(Headers headers, String type) {
        headers.remove(TYPE);
        headers.add(TYPE, type.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces any trace context with {@code traceparent}. */
    public static void putTraceparent(Headers headers, Traceparent traceparent) {
        headers.remove(TRACEPARENT);
        headers.add(TRACEPARENT, traceparent.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The record's trace context, or empty when it has none or a malformed one. */
    public static Optional<Traceparent> traceparent(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT);
        return header == null || header.value() == null ? java.util.Optional.empty()
                : Traceparent.parse(new String(header.value(), StandardCharsets.US_ASCII));
    }

    /** The run header's value, or 0 (the submission's run) when there is none or it is not a number. */
    public static long run(Headers headers) {
        Header header = headers.lastHeader(RUN);
        if (header == null || header.value() == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The type header's value, or null when the record has none (written before this header existed). */
    public static String type(Headers headers) {
        Header header = headers.lastHeader(TYPE);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
