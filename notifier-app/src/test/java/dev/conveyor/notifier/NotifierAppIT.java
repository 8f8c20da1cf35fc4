package dev.conveyor.notifier;

import static dev.conveyor.notifier.NotifierFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.webhooks.WebhookSecret;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NotifierAppIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static NotifierFixture notifier;
    static CapturingReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = CapturingReceiver.start();
        // the receivers of these tests all listen on 127.0.0.1 (on ports drawn per test), and nothing else does
        notifier = NotifierFixture.start(Map.of(
                WebhookSettings.ALLOWED_NETWORKS, "127.0.0.1/32",
                WebhookSettings.SECRETS, WebhookSecret.generate(new SecureRandom()).encoded()));
    }

    @AfterAll
    static void stop() {
        notifier.close();
        receiver.close();
    }

    @Test
    void aResultWithACallbackIsPostedAsJsonToIt() throws Exception {
        TaskResult result = result(receiver.url("/hooks/ok"));
        notifier.publish(result);

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(result.getTaskId()).size() == 1);
        CapturingReceiver.Request delivery = receiver.requestsFor(result.getTaskId()).getFirst();
        assertThat(delivery.path()).isEqualTo("/hooks/ok");
        JsonNode body = JSON.readTree(delivery.body());
        assertThat(body.get("taskId").asText()).isEqualTo(result.getTaskId());
        assertThat(body.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(body.get("output").get("ok").asBoolean()).isTrue();
        assertThat(body.get("headers").get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void aFailingReceiverIsRetriedUntilItAccepts() {
        AtomicInteger calls = new AtomicInteger();
        try (CapturingReceiver flaky = CapturingReceiver.start()) {
            flaky.answerWith(request -> calls.incrementAndGet() <= 2 ? 503 : 200);
            TaskResult result = result(flaky.url("/flaky"));
            notifier.publish(result);

            await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 3);
            // the retries waited in the delivery tiers, for the webhook only
            assertThat(notifier.retriesOf(result)).hasSize(2)
                    .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(RetryHeaders.CHANNEL).value())).isEqualTo("webhook"));
        }
    }

    @Test
    void aDeliveryThatKeepsFailingOrIsRefusedIsDeadLetteredWithItsHistory() {
        try (CapturingReceiver down = CapturingReceiver.start(); CapturingReceiver refusing = CapturingReceiver.start()) {
            down.answerWith(request -> 503);
            refusing.answerWith(request -> 410);
            TaskResult failing = result(down.url("/down"));
            TaskResult refused = result(refusing.url("/gone"));
            notifier.publish(failing);
            notifier.publish(refused);

            await().atMost(Duration.ofSeconds(30)).until(() -> notifier.letterOf(failing).isPresent() && notifier.letterOf(refused).isPresent());
            DeadLetter failed = notifier.letterOf(failing).orElseThrow();
            assertThat(failed.getReason()).isEqualTo("DELIVERY_FAILED");
            assertThat(failed.getOriginalTopic()).isEqualTo("tasks.results");
            assertThat(failed.getHistory()).extracting(AttemptFailure::getAttempt).containsExactly(1, 2, 3);
            assertThat(failed.getError()).contains("webhook").contains("HTTP 503");
            assertThat(notifier.letterOf(refused).orElseThrow().getReason()).isEqualTo("DELIVERY_REFUSED");
            assertThat(notifier.letterOf(refused).orElseThrow().getHistory()).hasSize(1);
            assertThat(refusing.requests()).hasSize(1);
        }
    }

    @Test
    void undecodableResultsAreDeadLetteredAndMetricsCountDeliveries() throws Exception {
        String key = "bad-result-" + UUID.randomUUID();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, notifier.stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.RESULTS.name(), key, new byte[] {1, 2, 3})).get();
        }
        TaskResult after = result(receiver.url("/after-poison"));
        notifier.publish(after);

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(after.getTaskId()).size() == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                TopicReader.read(notifier.stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).stream()
                        .filter(r -> NotifierFixture.hasKey(r, key)))
                .singleElement()
                .satisfies(r -> {
                    assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value())).isEqualTo("UNDECODABLE");
                    assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value())).isEqualTo("tasks.results");
                }));
        assertThat(notifier.metrics()).contains("conveyor_results_notified_total{channel=\"webhook\",outcome=\"delivered\"}")
                .contains("conveyor_results_notified_total{channel=\"log\",outcome=\"delivered\"}")
                .contains("conveyor_records_dead_lettered_total{reason=\"UNDECODABLE\",topic=\"tasks.results\"}");
    }
}
