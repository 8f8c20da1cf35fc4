package dev.conveyor.retry;

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

    private RetryHeaders() {
    }
}
