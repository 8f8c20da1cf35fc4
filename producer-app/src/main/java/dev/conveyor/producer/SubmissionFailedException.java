package dev.conveyor.producer;

/**
 * Kafka (or the schema registry) did not acknowledge the task in time. The task may or may not
 * have been written: submit again only if a duplicate run is acceptable.
 */
public final class SubmissionFailedException extends RuntimeException {

    public SubmissionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
