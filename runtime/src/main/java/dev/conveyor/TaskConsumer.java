package dev.conveyor;

import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.internal.consume.ConsumeLoop;
import dev.conveyor.internal.route.OutcomeRouter;
import dev.conveyor.retry.RetryTiers;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * A member of a consumer group on one Conveyor topic that processes records concurrently under an
 * {@link OrderingMode}, routes what its {@link RecordProcessor} says became of each record
 * ({@link RecordOutcome}) into results, retries in its {@link RetryTiers}, dead letters and delay hops,
 * writes them under its {@link DeliveryGuarantee}, commits only finished work, dead-letters poison
 * pills, and applies backpressure. Scale out by starting more instances with the same group id: Kafka
 * balances the partitions (consumer rebalance protocol).
 */
public final class TaskConsumer<V extends SpecificRecord> implements AutoCloseable {

    /** How long an instance killed mid-transaction can hold back read_committed readers of what it wrote. */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final ConsumeLoop<V> loop;
    private final Thread thread;

    public TaskConsumer(String groupId, TopicDescriptor<V> topic, ConsumerSettings settings, RetryTiers<V> retries, KafkaClients clients,
                        RecordProcessor<V> processor, MeterRegistry meters, Clock clock) {
        this(groupId, List.of(topic), settings, retries, clients, processor, meters, clock);
    }

    /**
     * One consumer for several topics of the same record type, e.g. {@code tasks} and every delay tier:
     * records carrying a {@link RetryHeaders#DUE} time wait, partition paused, until it has passed.
     */
    public TaskConsumer(String groupId, List<TopicDescriptor<V>> topics, ConsumerSettings settings, RetryTiers<V> retries,
                        KafkaClients clients, RecordProcessor<V> processor, MeterRegistry meters, Clock clock) {
        this(groupId, topics, settings, retries, clients, processor, meters, clock, TaskEvents.off());
    }

    /** As above, also writing each record's lifecycle {@code events} with its outputs. */
    public TaskConsumer(String groupId, List<TopicDescriptor<V>> topics, ConsumerSettings settings, RetryTiers<V> retries,
                        KafkaClients clients, RecordProcessor<V> processor, MeterRegistry meters, Clock clock, TaskEvents events) {
        String clientId = groupId + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(this));
        // zombies are fenced by the group metadata sent with the offsets (KIP-447); the stable
        // transactional id only lets a restarted instance abort its predecessor's open transaction
        Map<String, Object> transactional = Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + settings.instanceId(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        Supplier<Producer<String, SpecificRecord>> producers = () -> clients.producer(clientId + "-out",
                settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE ? transactional : Map.of());
        this.loop = new ConsumeLoop<>(groupId, topics.stream().map(TopicDescriptor::name).toList(),
                clients.consumer(groupId, clientId, Map.of(
                        // polls happen only below the limit and bring at most a quarter of it, so in-flight work
                        // stays under 1.25 x MAX_IN_FLIGHT without seeking back over fetched records, and what a
                        // crash redoes stays near the limit
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords(settings.maxInFlight()),
                        // a static member: a restart under the same name takes its predecessor's partitions back
                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId())),
                clients.admin(), clients.valueDeserializer(topics.get(0)), topics.get(0).valueType(), processor,
                new OutcomeRouter(retries, meters, clock, events), settings, producers, meters, clock);
        this.thread = new Thread(loop, groupId + "-poll");
    }

    /** Records one poll may bring: a quarter of the in-flight limit, at most Kafka's default of 500. */
    static int maxPollRecords(int maxInFlight) {
        return Math.min(500, Math.max(1, maxInFlight / 4));
    }

    public TaskConsumer<V> start() {
        thread.start();
        return this;
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    /**
     * Running and accepted into its group (its member epoch is positive, whether or not it has partitions: a
     * group may have more members than partitions): an app is ready once this holds, not merely once its
     * loop started.
     */
    public boolean isJoined() {
        return loop.isJoined();
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
