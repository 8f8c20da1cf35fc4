package dev.conveyor.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.stack.WebhookReceiver;
import dev.conveyor.webhooks.WebhookSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the real broker and registry: HTTP in, processor, results topic, notifier, webhook out. */
class PipelineEndToEndIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int TASKS = 1_000;
    /** The gateway authenticates as it does by default: every request here carries this key. */
    static final NewApiKey KEY = NewApiKey.generate("e2e", EnumSet.of(Scope.SUBMIT, Scope.READ), "*", 0);

    static LocalStack stack;
    static GreenMail smtp;
    static Pipeline pipeline;
    static WebhookReceiver receiver;
    static DemoProgress demo;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = WebhookReceiver.start();
        demo = DemoProgress.start();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "TASKS_PARTITIONS", "6",
                "RETRY_TIERS", "100ms,200ms",
                "RESULTS_PARTITIONS", "6"));
        // webhooks may reach this test's two receivers, and nothing else internal
        env.putAll(LocalWebhooks.notifierEnv(WebhookSecret.generate(new SecureRandom()),
                List.of(LocalWebhooks.allowlistEntry(receiver), demo.allowlistEntry())));
        env.put(AuthSettings.API_KEYS, KEY.line());
        pipeline = Pipeline.start(env, new int[] {0, 0, 0});
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        receiver.close();
        demo.close();
        smtp.stop();
    }

    @Test
    void everyTaskSubmittedOverHttpProducesExactlyOneResultDeliveredByWebhook() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Semaphore inFlight = new Semaphore(32);
        try (HttpClient http = HttpClient.newHttpClient(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < TASKS; i++) {
                String body = JSON.writeValueAsString(Map.of("type", "echo", "key", "customer-" + (i % 50),
                        "payload", Map.of("n", i), "callbackUrl", LocalWebhooks.callbackUrl(receiver, "/e2e")));
                inFlight.acquire();
                pool.execute(() -> {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipeline.producerUrl() + "/tasks"))
                                .header("Authorization", KEY.authorization()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                        ids.add(JSON.readTree(response.body()).get("id").asText());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        assertThat(ids).hasSize(TASKS);

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() ->
                assertThat(deliveredIds()).containsAll(ids));

        Map<String, Long> deliveries = receiver.deliveries().stream().map(WebhookReceiver.Delivery::taskIdHeader)
                .filter(ids::contains).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(deliveries).hasSize(TASKS).allSatisfy((id, count) -> assertThat(count).as("deliveries of %s", id).isEqualTo(1L));
        assertThat(receiver.deliveries()).filteredOn(d -> ids.contains(d.taskIdHeader()))
                .allSatisfy(d -> assertThat(JSON.readTree(d.body()).get("status").asText()).isEqualTo("SUCCEEDED"));

        Map<String, Long> resultsPerTask = results().stream().map(TaskResult::getTaskId).filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(resultsPerTask).hasSize(TASKS).allSatisfy((id, count) -> assertThat(count).as("results of %s", id).isEqualTo(1L));

        // and the status of a task the processor ran names the key it was submitted with
        String id = ids.iterator().next();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(status(id));
            assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(status.path("submitter").asText()).isEqualTo("e2e");
        });
    }

    /** {@code GET /tasks/{id}} with this test's key. */
    static String status(String id) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(pipeline.producerUrl() + "/tasks/" + id))
                    .header("Authorization", KEY.authorization()).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void aDemoRunReportsEveryOutcomeAndSendsRealMails() throws Exception {
        // the demo's own webhook, allowlisted when the pipeline started
        DemoProgress progress = demo;
        int before = smtp.getReceivedMessages().length;
        new DemoWorkload(pipeline.producerUrl(), KEY.authorization(), progress.callbackUrl(), progress).submit(200);

        // a stall says where it stopped: what the webhook counted, and what the notifier delivered and holds
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(progress.snapshot().done())
                .as(() -> String.format("outcomes counted by the demo's webhook (submitted %d, rejected %d, duplicates %d); notifier: %s",
                        progress.snapshot().submitted(), progress.snapshot().rejected(), progress.snapshot().duplicates(), notifierState()))
                .isEqualTo(200));
        DemoProgress.Snapshot summary = progress.snapshot();
        assertThat(summary.submitted()).isEqualTo(200);
        assertThat(summary.succeeded() + summary.failed()).isEqualTo(200);
        assertThat(summary.failedByReason()).containsKeys("RETRIES_EXHAUSTED", "UNKNOWN_TYPE");
        assertThat(summary.duplicates()).isZero();
        assertThat(summary.latencyMicros().getTotalCount()).isEqualTo(200);
        assertThat(summary.throughput()).isPositive();
        assertThat(smtp.getReceivedMessages().length - before).isPositive();
    }

    /** The notifier's delivery counters and consumer gauges, from its metrics endpoint. */
    static String notifierState() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pipeline.notifierUrl() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("conveyor_results_notified_total") || l.startsWith("conveyor_consumer_"))
                    .collect(Collectors.joining("; "));
        } catch (Exception e) {
            return "metrics unavailable: " + e;
        }
    }

    static Set<String> deliveredIds() {
        return receiver.deliveries().stream().map(WebhookReceiver.Delivery::taskIdHeader).collect(Collectors.toSet());
    }

    static List<TaskResult> results() {
        Deserializer<TaskResult> decoder = AvroSerdes.deserializer(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        return TopicReader.read(stack.bootstrapServers(), Topics.RESULTS.name()).stream()
                .map(ConsumerRecord::value).map(v -> decoder.deserialize(Topics.RESULTS.name(), v)).toList();
    }
}
