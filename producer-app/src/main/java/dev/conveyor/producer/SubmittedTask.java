package dev.conveyor.producer;

/**
 * A task Kafka acknowledged: it will reach a terminal outcome.
 *
 * @param duplicate true when an earlier submission with the same idempotency key created this task;
 *                  partition and offset are then -1 (the original's position is not tracked)
 */
public record SubmittedTask(String id, String key, int partition, long offset, boolean duplicate) {

    public static SubmittedTask created(String id, String key, int partition, long offset) {
        return new SubmittedTask(id, key, partition, offset, false);
    }

    public static SubmittedTask duplicateOf(String id, String key) {
        return new SubmittedTask(id, key, -1, -1, true);
    }
}
