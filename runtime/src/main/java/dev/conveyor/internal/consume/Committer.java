package dev.conveyor.internal.consume;

import dev.conveyor.internal.route.Outbox;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How the poll loop makes outputs and offsets durable: {@link AtLeastOnceCommitter} acknowledges
 * outputs first and commits offsets after; {@link TransactionalCommitter} commits both in one
 * transaction. Everything but {@link Outbox#send} runs on the poll thread.
 */
interface Committer extends AutoCloseable {

    /** The outbox for one attempt at one record; a retried attempt gets a fresh one. */
    AttemptOutbox open();

    /**
     * Commits the finished work of {@code partitions}; {@code sync} when it must be done before
     * returning. Returns the partitions whose finished work was lost in a failed commit: the loop
     * must re-read them from their committed offsets.
     */
    Collection<TopicPartition> commit(Consumer<?, ?> consumer, OffsetLedger ledger, Collection<TopicPartition> partitions, boolean sync);

    @Override
    void close();
}
