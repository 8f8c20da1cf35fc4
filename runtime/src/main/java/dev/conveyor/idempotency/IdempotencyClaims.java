package dev.conveyor.idempotency;

import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.idempotency.ClaimBook;
import dev.conveyor.schema.IdempotencyClaim;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's view of {@code tasks.idempotency}: every committed claim, read in order from the
 * start of the retention window, decided by a {@link ClaimBook}. Producers ask it which task a key
 * belongs to after writing their claim; processors ask it whether a task lost its key and must not
 * run. Both wait until the view has read past the claim in question, so they never decide on a view
 * that misses it. No consumer group: every instance reads every partition.
 */
public final class IdempotencyClaims implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyClaims.class);
    private static final Duration EVICTION_INTERVAL = Duration.ofMinutes(1);

    /** Where a claim was written: the task record carries it in {@link #CLAIM_HEADER}. */
    public record Position(int partition, long offset) {

        public static Optional<Position> of(Headers headers) {
            Header header = headers.lastHeader(CLAIM_HEADER);
            if (header == null) {
                return Optional.empty();
            }
            String[] parts = new String(header.value(), StandardCharsets.UTF_8).split("/");
            try {
                return Optional.of(new Position(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }

        public byte[] encode() {
            return (partition + "/" + offset).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** On a task written with an idempotency key: the partition/offset of its claim. */
    public static final String CLAIM_HEADER = "conveyor.idempotency.claim";

    private record Waiter(Position position, CompletableFuture<Void> reached) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<IdempotencyClaim> decoder;
    private final Clock clock;
    private final ClaimBook book = new ClaimBook();
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private java.time.Instant nextEviction = java.time.Instant.MIN;

    public IdempotencyClaims(KafkaClients clients, Clock clock) {
        Properties props = new Properties();
        props.putAll(clients.cluster().clientProperties());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "conveyor-idempotency-view-" + ProcessHandle.current().pid());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the view may start before the topic is provisioned: it must not create it with the broker's defaults
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decoder = clients.valueDeserializer(Topics.IDEMPOTENCY);
        this.clock = clock;
        this.thread = new Thread(this::run, "conveyor-idempotency-view");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once every claim up to and including {@code position} has been applied. */
    public CompletableFuture<Void> reached(Position position) {
        Waiter waiter = new Waiter(position, new CompletableFuture<>());
        waiters.add(waiter);
        release();
        return waiter.reached();
    }

    /** The task id the key belongs to now, if it is claimed and not expired long ago. */
    public synchronized Optional<String> ownerOf(String idempotencyKey) {
        return book.winner(idempotencyKey).map(ClaimBook.Winner::taskId);
    }

    /** Whether the task was written by a submission that lost its key: it must not run. */
    public synchronized boolean lost(String taskId) {
        return book.lost(taskId);
    }

    private void run() {
        try {
            assignAll();
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(record);
                }
                for (TopicPartition partition : consumer.assignment()) {
                    positions.put(partition.partition(), consumer.position(partition));
                }
                if (clock.instant().isAfter(nextEviction)) {
                    // eviction walks every entry: once a minute is plenty for a window measured in hours
                    nextEviction = clock.instant().plus(EVICTION_INTERVAL);
                    synchronized (this) {
                        book.evict(clock.instant());
                    }
                }
                release();
            }
        } catch (WakeupException closing) {
            // close() woke us
        } catch (RuntimeException e) {
            LOG.error("the idempotency view stopped; submissions with an idempotency key will time out", e);
        } finally {
            try {
                consumer.close();
            } finally {
                // only this thread decodes; the deserializer's registry client has threads of its own
                decoder.close();
            }
        }
    }

    /** Waits for the topic (Kafka may be down when the app starts: keyed submissions wait, the app runs). */
    private void assignAll() {
        boolean warned = false;
        while (!closed) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.IDEMPOTENCY.name(), Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(Topics.IDEMPOTENCY.name(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    return;
                }
                // not created yet: the app that owns topic creation will make it
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            } catch (org.apache.kafka.common.errors.TimeoutException | org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
                if (!warned) {
                    LOG.warn("cannot read {} yet ({}); keyed submissions wait until it can", Topics.IDEMPOTENCY.name(), e.toString());
                    warned = true;
                }
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        IdempotencyClaim claim;
        try {
            claim = decoder.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable idempotency claim {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return;
        }
        synchronized (this) {
            book.apply(claim.getIdempotencyKey(), claim.getTaskId(), claim.getClaimedAt(), claim.getExpiresAt());
        }
    }

    private void release() {
        waiters.removeIf(waiter -> {
            Long next = positions.get(waiter.position().partition());
            if (next != null && next > waiter.position().offset()) {
                waiter.reached().complete(null);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
