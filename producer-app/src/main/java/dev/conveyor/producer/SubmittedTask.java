package dev.conveyor.producer;

/** A task Kafka acknowledged: it will reach a terminal outcome. */
public record SubmittedTask(String id, String key, int partition, long offset) {
}
