package dev.conveyor.retry;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers a retried task carries on its tier topic. They are replaced on every hop, never appended,
 * so a record does not grow with its attempts. Values are UTF-8 text; times are ISO-8601 instants.
 */
public final class RetryHeaders {

    /** Not before this instant: the consumer pauses the partition until then. */
    public static final String DUE = "conveyor.retry.due";
    public static final String ATTEMPT = "conveyor.retry.attempt";
    public static final String FIRST_FAILURE = "conveyor.retry.first.failure";
    public static final String ORIGINAL_TOPIC = "conveyor.retry.original.topic";
    public static final String ORIGINAL_PARTITION = "conveyor.retry.original.partition";
    public static final String ORIGINAL_OFFSET = "conveyor.retry.original.offset";
    public static final String ERROR_CLASS = "conveyor.retry.error.class";
    public static final String ERROR_MESSAGE = "conveyor.retry.error.message";
    /** Earlier failures as bounded JSON ({@value #MAX_HISTORY} most recent), for the dead letter's history. */
    public static final String HISTORY = "conveyor.retry.history";
    public static final int MAX_HISTORY = 10;
    /** The notification channel a delivery retry is for; the other channels of the result are done. */
    public static final String CHANNEL = "conveyor.notify.channel";

    private RetryHeaders() {
    }

    /** The attempt a record is: its {@link #ATTEMPT} header, else 1 (a first attempt carries none). */
    public static int attempt(Headers headers) {
        String value = text(headers, ATTEMPT);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException malformed) {
            return 1;
        }
    }

    /** The {@link #CHANNEL} a delivery retry is for, or null for a first delivery (every channel). */
    public static String channel(Headers headers) {
        return text(headers, CHANNEL);
    }

    /** A header's UTF-8 value, or null when the record has none. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
