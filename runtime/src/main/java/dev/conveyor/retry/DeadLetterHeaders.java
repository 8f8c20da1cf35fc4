package dev.conveyor.retry;

/**
 * Headers on every {@code tasks.dlq} record, so tools can filter without decoding the value.
 * Stable names: {@code conveyor.dlq.<field>}, values UTF-8 text.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "conveyor.dlq.reason";
    public static final String ORIGINAL_TOPIC = "conveyor.dlq.original.topic";
    public static final String ORIGINAL_PARTITION = "conveyor.dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "conveyor.dlq.original.offset";
    public static final String TASK_TYPE = "conveyor.dlq.task.type";

    private DeadLetterHeaders() {
    }
}
