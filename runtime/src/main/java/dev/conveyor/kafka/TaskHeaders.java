package dev.conveyor.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers every task record carries wherever it is written (submission, delay tier, retry tier,
 * replay), so the consumer engine can act on them before it decodes the value.
 */
public final class TaskHeaders {

    /** The task's type, UTF-8: chooses the type's {@code ORDERING_BY_TYPE} mode before the value is decoded. */
    public static final String TYPE = "conveyor.type";
    /** W3C trace context: carried from a task's record to every record its outcome writes. */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private TaskHeaders() {
    }

    /** Replaces any type header with {@code type}. */
    public static void putType(Headers headers, String type) {
        headers.remove(TYPE);
        headers.add(TYPE, type.getBytes(StandardCharsets.UTF_8));
    }

    /** The type header's value, or null when the record has none (written before this header existed). */
    public static String type(Headers headers) {
        Header header = headers.lastHeader(TYPE);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
