package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.stack.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NotifierAppIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static LocalStack stack;
    static KafkaClients clients;
    static NotifierApp app;
    static Producer<String, TaskResult> results;
    static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        receiver = WebhookReceiver.start();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "RESULTS_PARTITIONS", "3",
                "RETRY_TIERS", "200ms,400ms",
                "MAX_ATTEMPTS", "3");
        NotifierAppConfig config = NotifierApp.load(env);
        clients = KafkaClients.connect(config.cluster());
        app = NotifierApp.build(config, clients, NotifierApp.channels(config, env));
        results = clients.producer("test-results", Map.of());
    }

    @AfterAll
    static void stop() {
        results.close();
        app.close();
        clients.close();
        receiver.close();
    }

    @Test
    void aResultWithACallbackIsPostedAsJsonToIt() throws Exception {
        TaskResult result = result(receiver.url("/hooks/ok"));
        publish(result);

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesOf(result).size() == 1);
        WebhookReceiver.Delivery delivery = deliveriesOf(result).get(0).delivery;
        assertThat(delivery.path()).isEqualTo("/hooks/ok");
        JsonNode body = JSON.readTree(delivery.body());
        assertThat(body.get("taskId").asText()).isEqualTo(result.getTaskId());
        assertThat(body.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(body.get("output").get("ok").asBoolean()).isTrue();
        assertThat(body.get("headers").get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void aFailingReceiverIsRetriedUntilItAccepts() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (WebhookReceiver flaky = WebhookReceiver.start()) {
            flaky.answerWith(() -> calls.incrementAndGet() <= 2 ? 503 : 200);
            TaskResult result = result(flaky.url("/flaky"));
            publish(result);

            await().atMost(Duration.ofSeconds(30)).until(() -> flaky.deliveries().size() == 1);
            assertThat(calls.get()).isEqualTo(3);
            // the retries waited in the delivery tiers, for the webhook only
            List<ConsumerRecord<byte[], byte[]>> hops = new java.util.ArrayList<>();
            hops.addAll(TopicReader.read(stack.bootstrapServers(), "tasks.results.retry.200ms"));
            hops.addAll(TopicReader.read(stack.bootstrapServers(), "tasks.results.retry.400ms"));
            assertThat(hops.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(result.getKey())))
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(dev.conveyor.retry.RetryHeaders.CHANNEL).value())).isEqualTo("webhook"));
        }
    }

    @Test
    void aDeliveryThatKeepsFailingOrIsRefusedIsDeadLetteredWithItsHistory() {
        try (WebhookReceiver down = WebhookReceiver.start(); WebhookReceiver refusing = WebhookReceiver.start()) {
            down.answerWith(() -> 503);
            refusing.answerWith(() -> 410);
            TaskResult failing = result(down.url("/down"));
            TaskResult refused = result(refusing.url("/gone"));
            publish(failing);
            publish(refused);

            await().atMost(Duration.ofSeconds(30)).until(() -> letterOf(failing).isPresent() && letterOf(refused).isPresent());
            DeadLetter failed = letterOf(failing).orElseThrow();
            assertThat(failed.getReason()).isEqualTo("DELIVERY_FAILED");
            assertThat(failed.getOriginalTopic()).isEqualTo("tasks.results");
            assertThat(failed.getHistory()).extracting(AttemptFailure::getAttempt).containsExactly(1, 2, 3);
            assertThat(failed.getError()).contains("webhook").contains("HTTP 503");
            assertThat(letterOf(refused).orElseThrow().getReason()).isEqualTo("DELIVERY_REFUSED");
            assertThat(letterOf(refused).orElseThrow().getHistory()).hasSize(1);
            assertThat(refusing.deliveries()).isEmpty();
        }
    }

    static java.util.Optional<DeadLetter> letterOf(TaskResult result) {
        org.apache.kafka.common.serialization.Deserializer<DeadLetter> decoder = clients.valueDeserializer(Topics.DEAD_LETTERS);
        return TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(result.getKey()))
                .map(r -> decoder.deserialize(Topics.DEAD_LETTERS.name(), r.headers(), r.value()))
                .findFirst();
    }

    @Test
    void undecodableResultsAreDeadLetteredAndMetricsCountDeliveries() throws Exception {
        String key = "bad-result-" + UUID.randomUUID();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.RESULTS.name(), key, new byte[] {1, 2, 3})).get();
        }
        TaskResult after = result(receiver.url("/after-poison"));
        publish(after);

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesOf(after).size() == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).stream()
                        .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)))
                .singleElement()
                .satisfies(r -> {
                    assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value())).isEqualTo("UNDECODABLE");
                    assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value())).isEqualTo("tasks.results");
                }));
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("conveyor_results_notified_total{channel=\"webhook\",outcome=\"delivered\"}")
                    .contains("conveyor_results_notified_total{channel=\"log\",outcome=\"delivered\"}")
                    .contains("conveyor_records_dead_lettered_total{reason=\"UNDECODABLE\",topic=\"tasks.results\"}");
        }
    }

    record Received(WebhookReceiver.Delivery delivery) {
    }

    static java.util.List<Received> deliveriesOf(TaskResult result) {
        return receiver.deliveries().stream().filter(d -> result.getTaskId().equals(d.taskIdHeader())).map(Received::new).toList();
    }

    static TaskResult result(String callbackUrl) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return TaskResult.newBuilder().setTaskId(id).setType("echo").setKey(id).setStatus(TaskStatus.SUCCEEDED).setAttempts(1)
                .setOutput("{\"ok\":true}").setError(null).setReason(null).setSubmittedAt(now).setStartedAt(now).setCompletedAt(now)
                .setCallbackUrl(callbackUrl).setHeaders(Map.of("tenant", "acme")).build();
    }

    static void publish(TaskResult result) {
        try {
            results.send(new ProducerRecord<>(Topics.RESULTS.name(), result.getKey(), result)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
