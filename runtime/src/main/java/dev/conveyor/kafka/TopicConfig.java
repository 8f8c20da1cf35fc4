package dev.conveyor.kafka;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
/**
 * Partition counts and replication of the topics the apps create at start-up (never by auto-creation).
 * Scaling out means more partitions here and more app instances in the consumer group.
 */
public record TopicConfig(int tasksPartitions, int resultsPartitions, int deadLetterPartitions, short replicationFactor,
                          boolean createTopics) {

    /** {@code TOPICS_CREATE}: false where topics are managed outside the apps (then they must exist). */
    public static final String CREATE_TOPICS = "TOPICS_CREATE";
    public static final String TASKS_PARTITIONS = "TASKS_PARTITIONS";
    public static final String RESULTS_PARTITIONS = "RESULTS_PARTITIONS";
    public static final String DLQ_PARTITIONS = "DLQ_PARTITIONS";
    public static final String REPLICATION_FACTOR = "TOPIC_REPLICATION_FACTOR";
    public static final int DEFAULT_TASKS_PARTITIONS = 12;
    public static final int DEFAULT_RESULTS_PARTITIONS = 12;
    public static final int DEFAULT_DLQ_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    public TopicConfig {
        requirePositive(TASKS_PARTITIONS, tasksPartitions);
        requirePositive(RESULTS_PARTITIONS, resultsPartitions);
        requirePositive(DLQ_PARTITIONS, deadLetterPartitions);
        requirePositive(REPLICATION_FACTOR, replicationFactor);
    }

    public static TopicConfig defaults() {
        return new TopicConfig(DEFAULT_TASKS_PARTITIONS, DEFAULT_RESULTS_PARTITIONS, DEFAULT_DLQ_PARTITIONS, DEFAULT_REPLICATION_FACTOR, true);
    }

    public static TopicConfig load(Env env) {
        int replication = env.integer(REPLICATION_FACTOR, DEFAULT_REPLICATION_FACTOR);
        if (replication > Short.MAX_VALUE) {
            throw new ConfigException(REPLICATION_FACTOR, "is too large");
        }
        return new TopicConfig(
                env.integer(TASKS_PARTITIONS, DEFAULT_TASKS_PARTITIONS),
                env.integer(RESULTS_PARTITIONS, DEFAULT_RESULTS_PARTITIONS),
                env.integer(DLQ_PARTITIONS, DEFAULT_DLQ_PARTITIONS),
                (short) replication,
                env.bool(CREATE_TOPICS, true));
    }

    public int partitionsOf(TopicDescriptor<?> topic) {
        if (topic.equals(Topics.TASKS)) {
            return tasksPartitions;
        }
        if (topic.equals(Topics.RESULTS)) {
            return resultsPartitions;
        }
        if (topic.equals(Topics.DEAD_LETTERS)) {
            return deadLetterPartitions;
        }
        if (topic.name().startsWith(Topics.RESULT_RETRY_PREFIX)) {
            return resultsPartitions;
        }
        if (topic.equals(Topics.IDEMPOTENCY)) {
            return tasksPartitions;
        }
        if (topic.equals(Topics.EVENTS)) {
            // the status view runs one stream task per partition: it scales out as the processors do
            return tasksPartitions;
        }
        if (topic.name().startsWith(Topics.RETRY_PREFIX)) {
            // a retried task keeps the partition count of tasks, so per-partition parallelism carries over
            return tasksPartitions;
        }
        throw new IllegalArgumentException("no partition count configured for " + topic.name());
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new ConfigException(key, "must be at least 1, was " + value);
        }
    }
}
