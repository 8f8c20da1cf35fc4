package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.JavaApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backpressure bounds memory however large the backlog: a processor whose heap is a fraction of the
 * backlog's size drains it completely, and its heap, read from its own {@code /metrics} while it
 * drains, never approaches the backlog's size.
 */
class BacklogMemoryIT {

    static final int TASKS = 50_000;
    static final int PAYLOAD_CHARS = 4_000;
    static final String HEAP = "128m";

    @RegisterExtension
    static final Rig rig = new Rig();

    @Test
    void aBacklogLargerThanTheHeapDrainsWithinBoundedMemory() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long backlogBytes = writeBacklog(run);
        long heapLimit = 128L * 1024 * 1024;
        assertThat(backlogBytes).as("the backlog is larger than the processor's whole heap").isGreaterThan(heapLimit);

        AtomicLong peakHeap = new AtomicLong();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             JavaApp processor = JavaApp.start("processor-backlog", dev.conveyor.processor.ProcessorApp.class,
                     rig.env("backlog", DeliveryGuarantee.AT_LEAST_ONCE), rig.logs, List.of("-Xmx" + HEAP));
             HttpClient http = HttpClient.newHttpClient()) {
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).until(() -> {
                peakHeap.accumulateAndGet(heapUsed(http, processor), Math::max);
                return results.size() >= TASKS;
            });
            assertThat(processor.isAlive()).isTrue();
        }
        System.out.printf("backlog of %d tasks, %d MiB on the topic, drained by a processor with -Xmx%s: peak heap used %d MiB%n",
                TASKS, backlogBytes >> 20, HEAP, peakHeap.get() >> 20);
        assertThat(peakHeap.get()).as("heap used while draining, read from the app").isPositive();
    }

    /** Writes the backlog straight to tasks, pre-serialized; returns its size in bytes. */
    private static long writeBacklog(String run) throws Exception {
        StringBuilder pad = new StringBuilder();
        while (pad.length() < PAYLOAD_CHARS) {
            pad.append(UUID.randomUUID());
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.stack.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        long bytes = 0;
        org.apache.kafka.common.serialization.Serializer<TaskRequest> avro = AvroSerdes.serializer(rig.clients.cluster());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String key = run + "-" + i;
                TaskRequest task = TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType("sleep").setKey(key)
                        .setPayload("{\"ms\":0,\"pad\":\"" + pad + "\"}").setSubmittedAt(Instant.now()).setAttempt(1)
                        .setMaxAttempts(0).setHeaders(Map.of()).build();
                byte[] value = avro.serialize(Topics.TASKS.name(), task);
                bytes += value.length;
                sends.add(raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, value)));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        }
        return bytes;
    }

    /** Heap in use now, from the app's own Prometheus metrics. */
    private static long heapUsed(HttpClient http, JavaApp app) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return (long) metrics.body().lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
