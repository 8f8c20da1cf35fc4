package dev.conveyor;

import dev.conveyor.internal.consume.ConsumeLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A member of a consumer group on one Conveyor topic that processes records concurrently under an
 * {@link OrderingMode}, commits only finished work, dead-letters poison pills through an
 * {@link UndecodableRecordHandler}, and applies backpressure. Scale out by starting more instances
 * with the same group id: Kafka balances the partitions (new rebalance protocol).
 */
public final class TaskConsumer<V extends SpecificRecord> implements AutoCloseable {

    private final ConsumeLoop<V> loop;
    private final Thread thread;

    public TaskConsumer(String groupId, TopicDescriptor<V> topic, ConsumerSettings settings, KafkaClients clients,
                        RecordProcessor<V> processor, UndecodableRecordHandler undecodable, MeterRegistry meters, Clock clock) {
        this(groupId, java.util.List.of(topic), settings, clients, processor, undecodable, meters, clock);
    }

    /**
     * One consumer for several topics of the same record type, e.g. {@code tasks} and every delay tier:
     * records carrying a {@link RetryHeaders#DUE} time wait, partition paused, until it has passed.
     */
    public TaskConsumer(String groupId, java.util.List<TopicDescriptor<V>> topics, ConsumerSettings settings, KafkaClients clients,
                        RecordProcessor<V> processor, UndecodableRecordHandler undecodable, MeterRegistry meters, Clock clock) {
        String clientId = groupId + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(this));
        this.loop = new ConsumeLoop<>(groupId, topics.stream().map(TopicDescriptor::name).toList(),
                clients.consumer(groupId, clientId, Map.of()),
                clients.valueDeserializer(topics.get(0)), processor, undecodable, settings, meters, clock);
        this.thread = new Thread(loop, groupId + "-poll");
    }

    public TaskConsumer<V> start() {
        thread.start();
        return this;
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    public int inFlight() {
        return loop.inFlight();
    }

    public Set<TopicPartition> assignment() {
        return loop.assignment();
    }

    /** Graceful: stop fetching, drain within the drain timeout, commit, leave the group. */
    @Override
    public void close() {
        loop.stop();
    }
}
