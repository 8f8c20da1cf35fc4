package dev.conveyor.retry;

/** Why a record went to the dead-letter topic. */
public enum DeadLetterReason {
    /** The value could not be decoded: garbage bytes, unknown schema id, incompatible schema, no value. */
    UNDECODABLE,
    /** The value decodes but is no task (or result) Conveyor wrote: an empty id, no type, an impossible time. */
    INVALID_RECORD,
    /** No handler is registered for the task's type. */
    UNKNOWN_TYPE,
    /** The handler failed on every allowed attempt. */
    RETRIES_EXHAUSTED,
    /** The handler said retrying cannot help. */
    NON_RETRYABLE,
    /** The handler ran past its timeout on the last allowed attempt. */
    TIMEOUT,
    /**
     * The handler returned, but its result is larger than a Kafka record may be ({@code max.request.size},
     * 1 MiB): the task's {@code FAILED} result carries the error instead of the output.
     */
    OUTPUT_TOO_LARGE,
    /** The notifier could not deliver a result through a channel on any allowed attempt. */
    DELIVERY_FAILED,
    /** The receiver refused the result (e.g. a webhook answered 4xx), which no retry changes. */
    DELIVERY_REFUSED,
    /**
     * The notifier's policy forbids the delivery, which is never attempted: e.g. a callback URL that
     * leads to a loopback, private or link-local address not in {@code WEBHOOK_ALLOWED_NETWORKS}.
     */
    DELIVERY_BLOCKED
}
