package dev.conveyor.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.stack.WebhookReceiver;
import dev.conveyor.trace.Traceparent;
import dev.conveyor.webhooks.WebhookSecret;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The W3C trace context on the real broker and registry: from the HTTP request, through the task, its
 * retries, result, dead letter and every lifecycle event, to the webhook, unchanged.
 */
class TraceContextIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey KEY = NewApiKey.generate("trace", EnumSet.of(Scope.SUBMIT, Scope.READ), "*", 0);

    static LocalStack stack;
    static GreenMail smtp;
    static WebhookReceiver receiver;
    static Pipeline pipeline;
    static Deserializer<TaskEvent> events;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = WebhookReceiver.start();
        // the first delivery fails, so one result goes through the notifier's retry tier too
        AtomicInteger answered = new AtomicInteger();
        receiver.answerWith(() -> answered.getAndIncrement() == 0 ? 503 : 200);
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "RETRY_TIERS", "100ms,200ms"));
        env.putAll(LocalWebhooks.notifierEnv(WebhookSecret.generate(new SecureRandom()), List.of(LocalWebhooks.allowlistEntry(receiver))));
        env.put(AuthSettings.API_KEYS, KEY.line());
        pipeline = Pipeline.start(env, new int[] {0, 0, 0});
        events = AvroSerdes.deserializer(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
    }

    @AfterAll
    static void stop() {
        events.close();
        pipeline.close();
        receiver.close();
        smtp.stop();
    }

    @Test
    void givenATracedRequestThenTheTaskItsResultEventsAndWebhookAllCarryItsTraceUnchanged() throws Exception {
        // given a caller in a trace
        String trace = "00-" + Traceparent.start().traceId() + "-00f067aa0ba902b7-01";

        // when it submits a task that succeeds
        HttpResponse<String> answer = submit(Map.of("type", "echo", "payload", Map.of("n", 1),
                "callbackUrl", LocalWebhooks.callbackUrl(receiver, "/traced")), trace);

        // then the answer names the trace, and every record of the task carries it, through to the webhook
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.headers().firstValue("traceparent")).contains(trace);
        String id = JSON.readTree(answer.body()).get("id").asText();
        assertTracedEndToEnd(id, trace, TaskEventKind.SUCCEEDED);
    }

    @Test
    void givenATracedTaskThatFailsThenItsRetryDeadLetterResultEventsAndWebhookCarryItsTrace() throws Exception {
        // given
        String trace = "00-" + Traceparent.start().traceId() + "-b7ad6b7169203331-00";

        // when a task that fails every attempt is submitted in it
        HttpResponse<String> answer = submit(Map.of("type", "fail", "maxAttempts", 2,
                "callbackUrl", LocalWebhooks.callbackUrl(receiver, "/failing")), trace);

        // then
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JSON.readTree(answer.body()).get("id").asText();
        assertTracedEndToEnd(id, trace, TaskEventKind.FAILED);
        assertThat(records(Topics.DEAD_LETTERS.name(), id)).isNotEmpty().allSatisfy(r -> assertThat(traceparent(r)).isEqualTo(trace));
        assertThat(kinds(id)).contains(TaskEventKind.RETRY_SCHEDULED, TaskEventKind.DEAD_LETTERED);
    }

    @Test
    void givenNoOrAMalformedTraceparentThenEachTaskStartsAFreshValidTrace() throws Exception {
        for (String sent : new String[] {null, "00-not-a-trace-01"}) {
            // when
            HttpResponse<String> answer = submit(Map.of("type", "echo", "callbackUrl", LocalWebhooks.callbackUrl(receiver, "/fresh")), sent);

            // then the answer names a new, valid trace, which the task carries to its webhook
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            String trace = answer.headers().firstValue("traceparent").orElseThrow();
            assertThat(Traceparent.parse(trace)).as(trace).isPresent();
            assertTracedEndToEnd(JSON.readTree(answer.body()).get("id").asText(), trace, TaskEventKind.SUCCEEDED);
        }
    }

    private static void assertTracedEndToEnd(String id, String trace, TaskEventKind terminal) {
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(receiver.deliveries()).filteredOn(d -> id.equals(d.taskIdHeader())).singleElement()
                    .extracting(WebhookReceiver.Delivery::traceparent).isEqualTo(trace);
            assertThat(kinds(id)).contains(TaskEventKind.QUEUED, terminal, TaskEventKind.DELIVERED);
        });
        assertThat(records(Topics.TASKS.name(), id)).isNotEmpty().allSatisfy(r -> assertThat(traceparent(r)).isEqualTo(trace));
        assertThat(records(Topics.RESULTS.name(), id)).hasSize(1).allSatisfy(r -> assertThat(traceparent(r)).isEqualTo(trace));
        assertThat(records(Topics.EVENTS.name(), id)).allSatisfy(r -> assertThat(traceparent(r)).as("event %s", kind(r)).isEqualTo(trace));
    }

    private static HttpResponse<String> submit(Map<String, Object> task, String traceparent) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pipeline.producerUrl() + "/tasks"))
                    .header("Authorization", KEY.authorization()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(task)));
            if (traceparent != null) {
                request.header("traceparent", traceparent);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The records of {@code topic} keyed by the task id (a task submitted without a key is keyed by its id). */
    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, String id) {
        return TopicReader.read(stack.bootstrapServers(), topic).stream()
                .filter(r -> r.key() != null && id.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
    }

    private static List<TaskEventKind> kinds(String id) {
        return records(Topics.EVENTS.name(), id).stream().map(TraceContextIT::kind).toList();
    }

    private static TaskEventKind kind(ConsumerRecord<byte[], byte[]> event) {
        return events.deserialize(Topics.EVENTS.name(), event.value()).getKind();
    }

    private static String traceparent(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(TaskHeaders.TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
