package dev.conveyor.internal.consume;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions coming and going. A revoked partition's in-flight records finish first (within the drain
 * timeout) and are committed, since the next owner starts at our commit and would otherwise run them a
 * second time while we still run them; a lost partition is simply forgotten (its work is redone).
 */
final class Rebalance implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalance.class);

    private final String name;
    private final Consumer<?, ?> consumer;
    private final Committer committer;
    private final OffsetLedger ledger;
    private final FlowControl flow;
    private final Set<TopicPartition> assigned;
    private final Duration drainTimeout;
    private final Clock clock;

    Rebalance(String name, Consumer<?, ?> consumer, Committer committer, OffsetLedger ledger, FlowControl flow,
              Set<TopicPartition> assigned, Duration drainTimeout, Clock clock) {
        this.name = name;
        this.consumer = consumer;
        this.committer = committer;
        this.ledger = ledger;
        this.flow = flow;
        this.assigned = assigned;
        this.drainTimeout = drainTimeout;
        this.clock = clock;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("{}: revoked {}", name, partitions);
        }
        awaitIdle(partitions, clock.instant().plus(drainTimeout));
        // no rewind: if this commit fails, the next owner redoes the work
        committer.commit(consumer, ledger, partitions, true);
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("{}: assigned {}", name, partitions);
        }
        assigned.addAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        ledger.forget(partitions);
        flow.forget(partitions);
        assigned.removeAll(partitions);
    }

    private void awaitIdle(Collection<TopicPartition> partitions, Instant deadline) {
        while (partitions.stream().anyMatch(p -> ledger.inFlight(p) > 0) && clock.instant().isBefore(deadline)) {
            // completions arrive on worker threads; a millisecond of latency here is nothing next to a rebalance
            LockSupport.parkNanos(1_000_000);
        }
        int left = partitions.stream().mapToInt(ledger::inFlight).sum();
        if (left > 0) {
            LOG.warn("{}: {} records of revoked partitions still in flight after {}; the next owner redoes them", name, left, drainTimeout);
        }
    }
}
