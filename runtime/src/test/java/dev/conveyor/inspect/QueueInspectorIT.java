package dev.conveyor.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.metrics.QueueMetrics;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.stack.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Snapshots of consumer groups taken from a real broker: offsets, record times, due times, members. */
class QueueInspectorIT {

    static LocalStack stack;
    static KafkaClients clients;
    static QueueInspector inspector;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        inspector = QueueInspector.connect(clients, "queue-inspector-it", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        inspector.close();
        clients.close();
    }

    @Test
    void givenRecordsPastTheCommittedOffsetThenTheSnapshotShowsLagAndHowLongTheOldestWaited() throws Exception {
        // given 5 records on partition 0 written a minute ago and 2 on partition 1, and a group that committed 3 and 0
        String topic = topic(2);
        Instant written = Instant.now().minusSeconds(60);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, written.plusSeconds(i).toEpochMilli(), null, bytes("p0-" + i))).get();
            }
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(topic, 1, written.plusSeconds(30).toEpochMilli(), null, bytes("p1-" + i))).get();
            }
        }
        String group = group();
        commit(group, Map.of(new TopicPartition(topic, 0), 3L));

        // when
        GroupSnapshot snapshot = inspector.inspect(group, List.of(topic));

        // then the group resumes at offset 3 of partition 0 (written 3 s after the first) and the start of partition 1
        // (written 30 s after it): the oldest waiting record is partition 0's
        assertThat(snapshot.lag(topic)).isEqualTo(2 + 2);
        assertThat(snapshot.members()).isEmpty();
        PartitionSnapshot first = snapshot.partitions(topic).get(0);
        assertThat(first.endOffset()).isEqualTo(5);
        assertThat(first.committedOffset()).isEqualTo(OptionalLong.of(3));
        assertThat(first.oldestWrittenAt()).contains(Instant.ofEpochMilli(written.plusSeconds(3).toEpochMilli()));
        assertThat(snapshot.partitions(topic).get(1).committedOffset()).isEmpty();
        assertThat(snapshot.queueLatency(topic)).hasValueSatisfying(latency -> assertThat(latency)
                .isEqualTo(Duration.between(first.oldestWrittenAt().orElseThrow(), snapshot.at())));
        assertThat(snapshot.nextDue(topic)).isEmpty();
    }

    @Test
    void givenADelayTierThenTheSnapshotSaysHowManyWaitAndWhenTheNextIsDue() throws Exception {
        String tier = topic(1);
        Instant due = Instant.now().plusSeconds(300);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 3; i++) {
                ProducerRecord<byte[], byte[]> retry = new ProducerRecord<>(tier, 0, null, bytes("retry-" + i));
                retry.headers().add(RetryHeaders.DUE, bytes(due.plusSeconds(i).toString()));
                producer.send(retry).get();
            }
        }

        GroupSnapshot snapshot = inspector.inspect(group(), List.of(tier));

        assertThat(snapshot.lag(tier)).isEqualTo(3);
        assertThat(snapshot.nextDue(tier)).contains(due);
        assertThat(snapshot.queueLatency(tier)).as("not due yet, so not late").contains(Duration.ZERO);
    }

    @Test
    void givenAGroupCommittedPastItsLastTransactionThenTheMarkerIsNotARecordWaiting() throws Exception {
        // given two records written in a transaction, and a group that committed the offset after the second
        String topic = topic(1);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "inspect-" + topic))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("a")));
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("b")));
            producer.commitTransaction();
        }
        String group = group();
        commit(group, Map.of(new TopicPartition(topic, 0), 2L));

        GroupSnapshot snapshot = inspector.inspect(group, List.of(topic));

        assertThat(snapshot.partitions(topic).getFirst().endOffset()).as("the commit marker takes offset 2").isEqualTo(3);
        assertThat(snapshot.lag(topic)).isZero();
        assertThat(snapshot.queueLatency(topic)).contains(Duration.ZERO);
    }

    @Test
    void givenAMemberConsumingThenTheSnapshotNamesItAndItsPartitionsAndTheGaugesShowTheGroup() throws Exception {
        // given a live member of a group on a topic with one record committed and one waiting
        String topic = topic(2);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("done"))).get();
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("waiting"))).get();
        }
        String group = group();
        try (Consumer<String, byte[]> member = clients.consumer(group, "inspected-member", Map.of())) {
            member.subscribe(List.of(topic));
            member.pause(member.assignment());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                member.poll(Duration.ofMillis(100));
                member.pause(member.assignment());
                return member.assignment().size() == 2;
            });
            member.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));

            // when the queue gauges of the group refresh on their schedule
            io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
                    new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            try (QueueMetrics metrics = QueueMetrics.start(QueueInspector.connect(clients, "queue-metrics-it", Clock.systemUTC()),
                    group, List.of(topic), meters, Duration.ofSeconds(1))) {

                // then
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(gauge(meters, MetricNames.CONSUMER_GROUP_MEMBERS, group, null)).isEqualTo(1.0);
                    assertThat(gauge(meters, MetricNames.CONSUMER_LAG, group, topic)).isEqualTo(1.0);
                    assertThat(gauge(meters, MetricNames.QUEUE_LATENCY, group, topic)).isGreaterThanOrEqualTo(0.0);
                });
                assertThat(meters.scrape()).contains("conveyor_consumer_lag{group=\"" + group + "\",topic=\"" + topic + "\"} 1.0")
                        .contains("conveyor_queue_latency_seconds{group=\"" + group + "\",topic=\"" + topic + "\"}")
                        .contains("conveyor_consumer_group_members{group=\"" + group + "\"} 1.0");
                GroupSnapshot snapshot = metrics.refresh();
                GroupMember only = snapshot.members().getFirst();
                assertThat(only.clientId()).isEqualTo("inspected-member");
                assertThat(only.assignment()).containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                assertThat(snapshot.partitions(topic)).extracting(PartitionSnapshot::memberId)
                        .containsOnly(Optional.of(only.memberId()));
            }
        }
    }

    @Test
    void givenAGroupTheBrokerDoesNotKnowThenEveryRecordWaitsAndNoMemberRuns() throws Exception {
        String topic = topic(1);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, null, bytes("x"))).get();
        }

        GroupSnapshot snapshot = inspector.inspect(group(), List.of(topic));

        assertThat(snapshot.members()).isEmpty();
        assertThat(snapshot.lag(topic)).isOne();
    }

    private static Double gauge(io.micrometer.core.instrument.MeterRegistry meters, String name, String group, String topic) {
        var search = meters.find(name).tag(MetricNames.TAG_GROUP, group);
        var gauge = topic == null ? search.gauge() : search.tag(MetricNames.TAG_TOPIC, topic).gauge();
        if (gauge != null) {
            return gauge.value();
        }
        var timeGauge = search.tag(MetricNames.TAG_TOPIC, topic).timeGauge();
        return timeGauge == null ? null : timeGauge.value();
    }

    private static String topic(int partitions) throws Exception {
        String topic = "inspect-" + UUID.randomUUID().toString().substring(0, 8);
        clients.admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    private static String group() {
        return "inspect-group-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        clients.admin().alterConsumerGroupOffsets(group, commits).all().get();
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(clients.cluster().clientProperties());
        props.putAll(overrides);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
