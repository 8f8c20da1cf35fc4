package dev.conveyor.faults;

import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a {@code read_committed} reader of a topic sees from now on, decoded and filtered: the
 * auditor's view the fault tests judge by. Reads on its own thread until closed.
 */
final class TopicTail<V extends SpecificRecord> implements AutoCloseable {

    /** A record as the auditor saw it. */
    record Seen<V>(V value, ConsumerRecord<byte[], byte[]> raw) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<V> decoder;
    private final Predicate<V> filter;
    private final Queue<Seen<V>> seen = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    TopicTail(KafkaClients clients, TopicDescriptor<V> topic, Predicate<V> filter) {
        Properties props = new Properties();
        props.putAll(clients.cluster().clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decoder = clients.valueDeserializer(topic);
        this.filter = filter;
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        // from the end as of now: what earlier tests wrote is not ours to judge
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        end.forEach(consumer::seek);
        this.thread = new Thread(this::run, "tail-" + topic.name());
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    V value = decode(record);
                    if (value != null && filter.test(value)) {
                        seen.add(new Seen<>(value, record));
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke us
        } finally {
            consumer.close();
        }
    }

    private V decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException notOurs) {
            // poison pills of the tests themselves land on tasks.dlq as letters, not here
            return null;
        }
    }

    List<V> values() {
        return seen.stream().map(Seen::value).toList();
    }

    List<Seen<V>> records() {
        return List.copyOf(seen);
    }

    int size() {
        return seen.size();
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
