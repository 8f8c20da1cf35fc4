package dev.conveyor.console.activity;

import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code tasks.events} and {@code tasks.results} from the start of the window onwards into an
 * {@link ActivityWindow}, on a thread of its own. It joins no group and commits nothing: every console
 * reads the whole window again when it starts. Records it cannot decode are counted and skipped.
 */
public final class ActivityTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityTail.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<TaskEvent> events;
    private final Deserializer<TaskResult> results;
    private final ActivityWindow window;
    private final Duration span;
    private final Clock clock;
    private final AtomicLong undecodable = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private ActivityTail(KafkaClients clients, Duration span, Clock clock) {
        Properties props = new Properties();
        props.putAll(clients.cluster().clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "conveyor-console-activity");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.events = clients.valueDeserializer(Topics.EVENTS);
        this.results = clients.valueDeserializer(Topics.RESULTS);
        this.window = new ActivityWindow(span);
        this.span = span;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("console-activity").daemon().unstarted(this::run);
    }

    public static ActivityTail start(KafkaClients clients, Duration span, Clock clock) {
        ActivityTail tail = new ActivityTail(clients, span, clock);
        tail.thread.start();
        return tail;
    }

    public ActivityWindow.Snapshot snapshot() {
        synchronized (window) {
            return window.snapshot(clock.instant());
        }
    }

    public long undecodable() {
        return undecodable.get();
    }

    private void run() {
        try {
            assignFromWindowStart();
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                consumer.poll(POLL).forEach(batch::add);
                synchronized (window) {
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        fold(record);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the console's activity reader stopped; the overview's rates stop with it", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void assignFromWindowStart() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.EVENTS.name(), Topics.RESULTS.name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        long from = clock.millis() - span.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        List<TopicPartition> nothingSince = new ArrayList<>();
        offsets.forEach((partition, offset) -> {
            if (offset == null) {
                nothingSince.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        });
        consumer.seekToEnd(nothingSince);
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(Topics.EVENTS.name())) {
                window.event(events.deserialize(record.topic(), record.value()));
            } else {
                window.result(results.deserialize(record.topic(), record.value()));
            }
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        results.close();
    }
}
