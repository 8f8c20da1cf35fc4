package dev.conveyor.notifier;

import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A real notifier on the shared broker and registry, fed results straight on {@code tasks.results},
 * and what it wrote back (dead letters, retries, metrics): the notifier ITs' common ground.
 */
final class NotifierFixture implements AutoCloseable {

    /** Short delivery tiers, so retries finish while a test waits. */
    static final List<String> TIERS = List.of("200ms", "400ms");

    final LocalStack stack;
    final KafkaClients clients;
    final NotifierApp app;
    private final Producer<String, TaskResult> results;

    private NotifierFixture(LocalStack stack, KafkaClients clients, NotifierApp app, Producer<String, TaskResult> results) {
        this.stack = stack;
        this.clients = clients;
        this.app = app;
        this.results = results;
    }

    /** A notifier with {@code settings} on top of the shared stack's connection, short tiers and 3 attempts. */
    static NotifierFixture start(Map<String, String> settings) {
        LocalStack stack = LocalStack.shared();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "RESULTS_PARTITIONS", "3",
                "RETRY_TIERS", String.join(",", TIERS),
                "MAX_ATTEMPTS", "3"));
        env.putAll(settings);
        NotifierAppConfig config = NotifierApp.load(env);
        KafkaClients clients = KafkaClients.connect(config.cluster());
        NotifierApp app = NotifierApp.build(config, clients, NotifierApp.channels(config, env));
        return new NotifierFixture(stack, clients, app, clients.producer("test-results", Map.of()));
    }

    static TaskResult result(String callbackUrl) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return TaskResult.newBuilder().setTaskId(id).setType("echo").setKey(id).setStatus(TaskStatus.SUCCEEDED).setAttempts(1)
                .setOutput("{\"ok\":true}").setError(null).setReason(null).setSubmittedAt(now).setStartedAt(now).setCompletedAt(now)
                .setCallbackUrl(callbackUrl).setHeaders(Map.of("tenant", "acme")).build();
    }

    void publish(TaskResult result) {
        try {
            results.send(new ProducerRecord<>(Topics.RESULTS.name(), result.getKey(), result)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Optional<DeadLetter> letterOf(TaskResult result) {
        Deserializer<DeadLetter> decoder = clients.valueDeserializer(Topics.DEAD_LETTERS);
        return TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).stream()
                .filter(r -> hasKey(r, result.getKey()))
                .map(r -> decoder.deserialize(Topics.DEAD_LETTERS.name(), r.headers(), r.value()))
                .findFirst();
    }

    /** The result's records in the delivery tiers: one per retry. */
    List<ConsumerRecord<byte[], byte[]>> retriesOf(TaskResult result) {
        List<ConsumerRecord<byte[], byte[]>> hops = new ArrayList<>();
        for (String tier : TIERS) {
            TopicReader.read(stack.bootstrapServers(), Topics.RESULT_RETRY_PREFIX + tier).stream()
                    .filter(r -> hasKey(r, result.getKey())).forEach(hops::add);
        }
        return hops;
    }

    String metrics() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    static boolean hasKey(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key);
    }

    @Override
    public void close() {
        results.close();
        app.close();
        clients.close();
    }
}
