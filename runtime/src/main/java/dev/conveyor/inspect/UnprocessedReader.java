package dev.conveyor.inspect;

import dev.conveyor.retry.RetryHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the first record at each partition's first unprocessed offset with a consumer of its own,
 * outside any group, so the group's offsets and assignment are untouched. Only one record per partition
 * is wanted: a partition is paused once it gave one.
 */
final class UnprocessedReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final Clock clock;

    UnprocessedReader(Consumer<byte[], byte[]> consumer, Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
    }

    /**
     * @param from the first unprocessed offset of each partition with records waiting
     * @param ends the end offsets of those partitions
     * @return what was found per partition; a partition not read within {@code timeout} is absent
     */
    Map<TopicPartition, Unprocessed> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends, Duration timeout) {
        Map<TopicPartition, Unprocessed> found = new HashMap<>();
        if (from.isEmpty()) {
            return found;
        }
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        Set<TopicPartition> open = new HashSet<>(from.keySet());
        Instant deadline = clock.instant().plus(timeout);
        try {
            while (!open.isEmpty() && clock.instant().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (open.remove(tp)) {
                        found.put(tp, new Unprocessed.First(Instant.ofEpochMilli(record.timestamp()), due(record)));
                        consumer.pause(Set.of(tp));
                    }
                }
                // under exactly-once a partition may hold only the marker of the last transaction
                for (TopicPartition tp : Set.copyOf(open)) {
                    if (consumer.position(tp, timeout) >= ends.get(tp)) {
                        open.remove(tp);
                        found.put(tp, new Unprocessed.Nothing());
                    }
                }
            }
        } finally {
            consumer.assign(Set.of());
        }
        return found;
    }

    private static Optional<Instant> due(ConsumerRecord<byte[], byte[]> record) {
        String due = RetryHeaders.text(record.headers(), RetryHeaders.DUE);
        try {
            return due == null ? Optional.empty() : Optional.of(Instant.parse(due));
        } catch (DateTimeParseException malformed) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
