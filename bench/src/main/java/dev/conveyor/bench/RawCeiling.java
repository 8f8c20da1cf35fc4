package dev.conveyor.bench;

import dev.conveyor.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw Kafka ceiling on the same broker: records go produce → consume → produce → consume (the
 * shape of Conveyor's submit → process → result → notify, with no work), with the producer settings
 * Conveyor uses. With {@link PlainBytes} they are plain bytes of the task's size (no Avro, no
 * registry): the ceiling; with {@link ConveyorRecords}, Conveyor's Avro records through the
 * registry's serdes: the floor of the wire format alone.
 */
final class RawCeiling {

    /** As a flat-out scenario's warm-up (2,000 tasks with 12 partitions): through the pipeline before the clock starts. */
    static final int WARM_UP_RECORDS = 2_000;

    private RawCeiling() {
    }

    static Result measure(KafkaClients clients, ProcessCpu cpu, int partitions, int records, RelayedRecords codec) throws Exception {
        return measure(clients, cpu, partitions, records, codec, 0);
    }

    /**
     * With {@code rate} above zero, records are sent at that steady rate and latency counts from each
     * record's intended send time, as in the paced scenarios: the floor under their latency on this broker.
     */
    static Result measure(KafkaClients clients, ProcessCpu cpu, int partitions, int records, RelayedRecords codec, int rate) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String first = "bench.raw.a." + run;
        String second = "bench.raw.b." + run;
        clients.admin().createTopics(List.of(new NewTopic(first, partitions, (short) 1), new NewTopic(second, partitions, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        // producing at once could hit KAFKA-15591 and stall a partition for the delivery timeout
        dev.conveyor.kafka.TopicProvisioner.awaitLeaders(clients.admin(), List.of(first, second));
        try (KafkaProducer<byte[], byte[]> source = producer(clients);
             KafkaProducer<byte[], byte[]> relayOut = producer(clients);
             KafkaConsumer<byte[], byte[]> relayIn = consumer(clients, first, partitions);
             KafkaConsumer<byte[], byte[]> sink = consumer(clients, second, partitions)) {
            Histogram latency = new Histogram(3);
            // from here to the last arrival only the raw clients work in this JVM; the warm-up records count too
            CpuPerItem.Sample cpuBefore = cpu.now();
            // flat out, a warm-up goes through first and the clock starts at the first measured send, as in a
            // scenario (warm consumers, the pipeline's fill time counted); paced, the first fifth is unmeasured
            int warmUp = rate > 0 ? 0 : WARM_UP_RECORDS;
            int unmeasured = rate > 0 ? records / 5 : warmUp;
            int total = warmUp + records;
            AtomicLong relayed = new AtomicLong();
            // a send Kafka refuses is counted, not waited for
            AtomicLong lost = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Exception> firstRefusal = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(1);
            AtomicLong started = new AtomicLong();
            // metadata first, so the first sends do not race the topics' creation
            source.partitionsFor(first);
            relayOut.partitionsFor(second);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + total / 1_000);
            Thread relay = Thread.ofPlatform().name("raw-relay").start(() -> {
                while (relayed.get() + lost.get() < total && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : relayIn.poll(Duration.ofMillis(50))) {
                        relayOut.send(new ProducerRecord<>(second, r.key(), codec.relay(r.value())), (m, e) -> {
                            if (e != null) {
                                lost.incrementAndGet();
                                firstRefusal.compareAndSet(null, e);
                            }
                        });
                        relayed.incrementAndGet();
                    }
                }
            });
            Thread send = Thread.ofPlatform().name("raw-source").start(() -> {
                Semaphore window = new Semaphore(20_000);
                long interval = rate > 0 ? 1_000_000_000L / rate : 0;
                long t0 = System.nanoTime();
                started.set(t0);
                for (int i = 0; i < total; i++) {
                    if (i == warmUp && warmUp > 0) {
                        try {
                            warmedUp.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        started.set(System.nanoTime());
                    }
                    window.acquireUninterruptibly();
                    long sentAt = System.nanoTime();
                    if (rate > 0) {
                        long intended = t0 + i * interval;
                        if (intended > sentAt) {
                            java.util.concurrent.locks.LockSupport.parkNanos(intended - sentAt);
                        }
                        sentAt = intended;
                    }
                    source.send(new ProducerRecord<>(first, Integer.toString(i).getBytes(), codec.source(i, sentAt)), (m, e) -> {
                        if (e != null) {
                            lost.incrementAndGet();
                            firstRefusal.compareAndSet(null, e);
                        }
                        window.release();
                    });
                }
                source.flush();
            });
            long received = 0;
            long last = 0;
            while (received + lost.get() < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("raw Kafka run stalled: " + received + " of " + total + " records arrived, "
                            + lost.get() + " refused by Kafka");
                }
                for (ConsumerRecord<byte[], byte[]> r : sink.poll(Duration.ofMillis(50))) {
                    last = System.nanoTime();
                    RelayedRecords.Stamp stamp = codec.read(r.value());
                    if (stamp.index() >= unmeasured) {
                        latency.recordValue(Math.max(0, last - stamp.sentAtNanos()) / 1_000);
                    }
                    received++;
                }
                if (received + lost.get() >= warmUp) {
                    warmedUp.countDown();
                }
            }
            CpuPerItem.Sample cpuAfter = cpu.now();
            send.join();
            relay.join();
            double seconds = (last - started.get()) / 1e9;
            if (firstRefusal.get() != null) {
                System.out.printf("  raw run: %d sends refused, the first with %s%n", lost.get(), firstRefusal.get());
            }
            return new Result((received - warmUp) / seconds, latency, lost.get(), CpuPerItem.between(cpuBefore, cpuAfter, received));
        } finally {
            clients.admin().deleteTopics(List.of(first, second));
        }
    }

    static Result faster(Result a, Result b) {
        return a.perSecond() >= b.perSecond() ? a : b;
    }

    /**
     * {@code lost}: sends Kafka refused; the rate counts only records that made the whole trip.
     * {@code cpuPerRecord}: of this JVM's plain clients and of the broker, warm-up records included.
     */
    record Result(double perSecond, Histogram latencyMicros, long lost, CpuPerItem cpuPerRecord) {
        double p50Ms() {
            return Measurement.ms(latencyMicros, 50);
        }

        double p99Ms() {
            return Measurement.ms(latencyMicros, 99);
        }

        double maxMs() {
            return latencyMicros.getMaxValue() / 1000.0;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaClients clients) {
        Map<String, Object> props = new HashMap<>(clients.cluster().clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, KafkaClients.DEFAULT_LINGER_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, KafkaClients.DEFAULT_BATCH_SIZE);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, KafkaClients.DEFAULT_COMPRESSION);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, KafkaClients.DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaClients clients, String topic, int partitions) {
        Map<String, Object> props = new HashMap<>(clients.cluster().clientProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // the apps' consumer implementation (KIP-848's), which needs a group id even when assigned
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        // its seek to the beginning is applied asynchronously: records sent before it must not be skipped
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return consumer;
    }
}
