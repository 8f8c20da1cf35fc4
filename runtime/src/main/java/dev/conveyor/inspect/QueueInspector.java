package dev.conveyor.inspect;

import dev.conveyor.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Takes {@link GroupSnapshot}s of consumer groups: end offsets, the group's committed offsets and
 * members from the {@link Admin} client, and the first unprocessed record of every partition with
 * records waiting from a consumer of its own, outside any group (it changes nothing the group sees).
 * One snapshot at a time; callers on several threads take turns. Closing it closes its consumer, not
 * the admin client, which belongs to the app.
 */
public final class QueueInspector implements AutoCloseable {

    /** How long one snapshot may wait for the broker, for each admin request and for the records' read. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final UnprocessedReader reader;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param admin    the app's admin client
     * @param consumer a consumer of raw bytes without a group ({@code read_committed}), owned by the inspector
     */
    public QueueInspector(Admin admin, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, Clock clock,
                          Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.admin = admin;
        this.reader = new UnprocessedReader(consumer, clock);
        this.clock = clock;
        this.timeout = timeout;
    }

    /** An inspector on {@code clients}' cluster and admin client, with a consumer of its own named {@code clientId}. */
    public static QueueInspector connect(KafkaClients clients, String clientId, Clock clock) {
        Properties props = new Properties();
        props.putAll(clients.cluster().clientProperties());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // one record per partition is wanted: fetch little beyond it
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new QueueInspector(clients.admin(), consumer, clock, DEFAULT_TIMEOUT);
    }

    /**
     * The snapshot of {@code group} on {@code topics}: every partition of each topic, whether the group has
     * committed on it or not.
     *
     * @throws InspectionException when the broker does not answer in time or refuses
     */
    public synchronized GroupSnapshot inspect(String group, Collection<String> topics) {
        List<GroupMember> members = members(group);
        Map<TopicPartition, Long> committed = committed(group, Set.copyOf(topics));
        Set<TopicPartition> partitions = partitions(topics);
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> waiting = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = Snapshots.position(tp, starts, committed);
            if (ends.get(tp) > from) {
                waiting.put(tp, from);
            }
        }
        Map<TopicPartition, Unprocessed> unprocessed = reader.read(waiting, ends, timeout);
        return Snapshots.assemble(group, clock.instant(), members, ends, starts, committed, unprocessed);
    }

    /** The snapshot of {@code group} on the topics it has committed offsets for. */
    public GroupSnapshot inspect(String group) {
        Set<String> topics = allCommitted(group).keySet().stream()
                .map(TopicPartition::topic).collect(Collectors.toSet());
        return inspect(group, topics);
    }

    /** The {@link CommitNote} of each partition's last commit by a Conveyor consumer of {@code group}. */
    public synchronized Map<TopicPartition, CommitNote> commitNotes(String group) {
        Map<TopicPartition, CommitNote> notes = new HashMap<>();
        allCommitted(group).forEach((tp, offset) -> {
            if (offset != null) {
                CommitNote.parse(offset.metadata()).ifPresent(note -> notes.put(tp, note));
            }
        });
        return notes;
    }

    private List<GroupMember> members(String group) {
        try {
            ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
            return description.members().stream().map(m -> new GroupMember(m.consumerId(), m.clientId(), m.groupInstanceId(), m.host(),
                    List.copyOf(m.assignment().topicPartitions()))).toList();
        } catch (InspectionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private Map<TopicPartition, Long> committed(String group, Set<String> topics) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        allCommitted(group).forEach((tp, offset) -> {
            if (offset != null && topics.contains(tp.topic())) {
                committed.put(tp, offset.offset());
            }
        });
        return committed;
    }

    /** The group's committed offsets of every topic; none for a group the broker does not know. */
    private Map<TopicPartition, OffsetAndMetadata> allCommitted(String group) {
        try {
            return get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        } catch (InspectionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    private Set<TopicPartition> partitions(Collection<String> topics) {
        Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
        return described.values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new InspectionException(e.getCause());
        } catch (TimeoutException e) {
            throw new InspectionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectionException(e);
        }
    }

    @Override
    public synchronized void close() {
        reader.close();
    }
}
