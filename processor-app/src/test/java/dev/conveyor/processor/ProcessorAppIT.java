package dev.conveyor.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.Env;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.kafka.TopicReader;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessorAppIT {

    static LocalStack stack;
    static GreenMail smtp;
    static KafkaClients clients;
    static ProcessorApp app;
    static Producer<String, TaskRequest> tasks;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "RETRY_TIERS", "200ms,400ms",
                "HANDLER_TIMEOUTS", "sleep=2s",
                "TASKS_PARTITIONS", "4");
        ProcessorAppConfig config = ProcessorApp.load(env);
        clients = KafkaClients.connect(config.cluster());
        HandlerRegistry plugins = HandlerRegistry.discover(Env.of(env));
        Map<String, dev.conveyor.TaskHandler> handlers = new HashMap<>();
        plugins.types().forEach(type -> handlers.put(type, plugins.find(type).orElseThrow()));
        // returns more than a Kafka record may hold (max.request.size, 1 MiB)
        handlers.put("big.output", task -> "\"" + "x".repeat(2 * 1024 * 1024) + "\"");
        app = ProcessorApp.build(config, clients, new HandlerRegistry(handlers));
        tasks = clients.producer("test-tasks", Map.of());
    }

    @AfterAll
    static void stop() {
        tasks.close();
        app.close();
        clients.close();
        smtp.stop();
    }

    @Test
    void handlersAreFoundAsPluginsAndEachTaskGetsOneResult() {
        TaskRequest echo = task("echo", "{\"hello\":\"world\"}");
        TaskRequest sleep = task("sleep", "{\"ms\":20}");
        TaskRequest fail = task("fail", "{\"message\":\"boom\"}");
        TaskRequest unknown = task("report.render", "{}");
        List.of(echo, sleep, fail, unknown).forEach(ProcessorAppIT::submit);

        Map<String, TaskResult> results = awaitResults(List.of(echo, sleep, fail, unknown));

        assertThat(results.get(echo.getId()).getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(results.get(echo.getId()).getOutput()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(results.get(sleep.getId()).getOutput()).isEqualTo("{\"sleptMs\":20}");
        assertThat(results.get(fail.getId()).getStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(results.get(fail.getId()).getError()).contains("IllegalStateException: boom");
        assertThat(results.get(fail.getId()).getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(results.get(fail.getId()).getAttempts()).isEqualTo(5);
        assertThat(results.get(unknown.getId()).getStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(results.get(unknown.getId()).getReason()).isEqualTo("UNKNOWN_TYPE");
        assertThat(results.get(unknown.getId()).getError()).contains("report.render").contains("echo");

        List<DeadLetter> unknownLetters = deadLetters().stream()
                .filter(l -> l.getRequest() != null && l.getRequest().getId().equals(unknown.getId())).toList();
        assertThat(unknownLetters).singleElement().satisfies(l -> assertThat(l.getReason()).isEqualTo("UNKNOWN_TYPE"));
    }

    @Test
    void aFailingTaskIsRetriedThroughTheDelayTiersAndSucceedsNoEarlierThanTheirSum() {
        TaskRequest flaky = task("fail", "{\"failAttempts\":2}");
        submit(flaky);

        TaskResult result = awaitResults(List.of(flaky)).get(flaky.getId());

        assertThat(result.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(result.getAttempts()).isEqualTo(3);
        assertThat(result.getOutput()).isEqualTo("{\"succeededOnAttempt\":3}");
        // attempt 2 waited in the 200ms tier, attempt 3 in the 400ms tier
        assertThat(Duration.between(result.getSubmittedAt(), result.getStartedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        List<ConsumerRecord<byte[], byte[]>> hops = new java.util.ArrayList<>();
        hops.addAll(TopicReader.read(stack.bootstrapServers(), "tasks.retry.200ms"));
        hops.addAll(TopicReader.read(stack.bootstrapServers(), "tasks.retry.400ms"));
        List<ConsumerRecord<byte[], byte[]>> mine = hops.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(flaky.getKey())).toList();
        assertThat(mine).hasSize(2).allSatisfy(r -> {
            // replaced on every hop, never appended: the record does not grow with its attempts
            assertThat(r.headers().headers(dev.conveyor.retry.RetryHeaders.DUE)).hasSize(1);
            assertThat(r.headers().headers(dev.conveyor.retry.RetryHeaders.HISTORY)).hasSize(1);
            assertThat(new String(r.headers().lastHeader(dev.conveyor.retry.RetryHeaders.ORIGINAL_TOPIC).value())).isEqualTo("tasks");
            // the type travels with every hop, so ORDERING_BY_TYPE applies to retries too
            assertThat(r.headers().headers(dev.conveyor.kafka.TaskHeaders.TYPE)).hasSize(1);
            assertThat(dev.conveyor.kafka.TaskHeaders.type(r.headers())).isEqualTo("fail");
        });
    }

    @Test
    void exhaustedAndNonRetryableFailuresAreDeadLetteredWithTheirHistoryAndGetAFailedResult() {
        TaskRequest exhausted = TaskRequest.newBuilder(task("fail", "{\"message\":\"down\"}")).setMaxAttempts(3).build();
        TaskRequest refused = task("fail", "{\"nonRetryable\":true,\"message\":\"bad address\"}");
        org.apache.kafka.clients.producer.RecordMetadata submitted = submit(exhausted);
        submit(refused);

        Map<String, TaskResult> results = awaitResults(List.of(exhausted, refused));

        assertThat(results.get(exhausted.getId()).getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(results.get(exhausted.getId()).getAttempts()).isEqualTo(3);
        assertThat(results.get(refused.getId()).getReason()).isEqualTo("NON_RETRYABLE");
        assertThat(results.get(refused.getId()).getAttempts()).isEqualTo(1);
        Map<String, DeadLetter> letters = deadLetters().stream().filter(l -> l.getRequest() != null)
                .collect(Collectors.toMap(l -> l.getRequest().getId(), l -> l, (a, b) -> b));
        DeadLetter exhaustedLetter = letters.get(exhausted.getId());
        assertThat(exhaustedLetter.getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(exhaustedLetter.getHistory()).extracting(dev.conveyor.schema.AttemptFailure::getAttempt).containsExactly(1, 2, 3);
        assertThat(exhaustedLetter.getHistory()).allSatisfy(f -> assertThat(f.getError()).contains("down"));
        assertThat(exhaustedLetter.getRequest()).isEqualTo(exhausted);
        // read from its last tier, the letter still names where the task entered: its record on tasks
        assertThat(List.of(exhaustedLetter.getOriginalTopic(), exhaustedLetter.getOriginalPartition(), exhaustedLetter.getOriginalOffset()))
                .containsExactly(Topics.TASKS.name(), submitted.partition(), submitted.offset());
        assertThat(letters.get(refused.getId()).getReason()).isEqualTo("NON_RETRYABLE");
        assertThat(letters.get(refused.getId()).getHistory()).hasSize(1);
    }

    @Test
    void anAttemptPastItsTimeoutIsInterruptedRetriedAndFinallyDeadLetteredAsTimeout() {
        TaskRequest slow = TaskRequest.newBuilder(task("sleep", "{\"ms\":60000}")).setMaxAttempts(2).setTimeoutMs(300L).build();
        submit(slow);

        TaskResult result = awaitResults(List.of(slow)).get(slow.getId());

        assertThat(result.getStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.getReason()).isEqualTo("TIMEOUT");
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getError()).contains("ran past its PT0.3S timeout");
        // two 300ms attempts and one 200ms tier wait, not a minute of sleeping
        assertThat(Duration.between(result.getSubmittedAt(), result.getCompletedAt())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aDelayedTaskHopsThroughTheTiersAndRunsNoEarlierThanItsRunTime() {
        Instant runAt = Instant.now().plusMillis(1_500);
        TaskRequest later = TaskRequest.newBuilder(task("echo", "{\"later\":true}")).setRunAt(runAt).build();
        submit(later);

        TaskResult result = awaitResults(List.of(later)).get(later.getId());

        assertThat(result.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getStartedAt()).isAfterOrEqualTo(runAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        List<ConsumerRecord<byte[], byte[]>> hops = TopicReader.read(stack.bootstrapServers(), "tasks.retry.400ms").stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(later.getKey())).toList();
        // how many hops depends on when each is picked up; each must wait in the tier and none past the run time
        assertThat(hops).isNotEmpty().allSatisfy(r -> assertThat(Instant.parse(new String(
                r.headers().lastHeader(dev.conveyor.retry.RetryHeaders.DUE).value(), StandardCharsets.UTF_8))).isBeforeOrEqualTo(runAt));
    }

    @Test
    void emailSendDeliversARealMailOverSmtp() throws Exception {
        TaskRequest email = task("email.send", "{\"to\":\"ada@example.com\",\"subject\":\"Welcome\",\"body\":\"Hi Ada\"}");
        TaskRequest injected = task("email.send", "{\"to\":\"bob@example.com\",\"subject\":\"Hi\\r\\nBcc: eve@example.org\"}");
        submit(email);
        submit(injected);

        Map<String, TaskResult> results = awaitResults(List.of(email, injected));

        assertThat(results.get(email.getId()).getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        MimeMessage[] received = smtp.getReceivedMessagesForDomain("example.com");
        assertThat(received).anySatisfy(m -> {
            assertThat(m.getSubject()).isEqualTo("Welcome");
            assertThat(m.getMessageID()).isEqualTo("<" + email.getId() + "@conveyor>");
        });
        // a header injection is refused once, never sent, and dead-lettered
        TaskResult refused = results.get(injected.getId());
        assertThat(refused.getReason()).isEqualTo("NON_RETRYABLE");
        assertThat(refused.getAttempts()).isEqualTo(1);
        assertThat(refused.getError()).contains("payload.subject contains a line break or control character (U+000D (CR) at 2)");
        assertThat(smtp.getReceivedMessagesForDomain("example.org")).isEmpty();
        assertThat(received).noneSatisfy(m -> assertThat(m.getMessageID()).isEqualTo("<" + injected.getId() + "@conveyor>"));
    }

    @Test
    void undecodableRecordsAreDeadLetteredAndTheirPartitionKeepsFlowing() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchemaId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, garbage)).get();
            raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, unknownSchemaId)).get();
            raw.send(new ProducerRecord<>(Topics.TASKS.name(), key, null)).get();
        }
        TaskRequest after = task("echo", "{}", key);
        submit(after);

        assertThat(awaitResults(List.of(after)).get(after.getId()).getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<byte[], byte[]>> letters = TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name())
                    .stream().filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).toList();
            assertThat(letters).hasSize(3);
            assertThat(letters).allSatisfy(r -> assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                    StandardCharsets.UTF_8)).isEqualTo("UNDECODABLE"));
            List<DeadLetter> decoded = letters.stream().map(r -> decodeDeadLetter(r.value())).toList();
            assertThat(decoded).extracting(l -> l.getOriginalValue() == null ? null : StandardCharsets.UTF_8.decode(l.getOriginalValue()).toString())
                    .contains("definitely not avro");
            assertThat(decoded).extracting(DeadLetter::getError).anySatisfy(e -> assertThat(e).contains("not in Confluent wire format"))
                    .anySatisfy(e -> assertThat(e).contains("schema id 2139062143").contains("does not know that schema id"))
                    .anySatisfy(e -> assertThat(e).contains("tombstone"));
        });
        assertThat(app.consumer().isRunning()).isTrue();
    }

    @Test
    void anOutputTooLargeForARecordFailsItsTaskWithADeadLetterAndTheNextTaskOfItsKeyStillRuns() {
        // given a task whose handler returns 2 MiB, then another task of the same key (same partition, run after it)
        String key = "big-" + UUID.randomUUID();
        TaskRequest big = task("big.output", "{}", key);
        TaskRequest next = task("echo", "{\"after\":\"big\"}", key);
        submit(big);
        submit(next);

        // when
        Map<String, TaskResult> results = awaitResults(List.of(big, next));

        // then the big one failed at once, without its output, and nothing was redone in place
        TaskResult failed = results.get(big.getId());
        assertThat(failed.getStatus()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.getReason()).isEqualTo("OUTPUT_TOO_LARGE");
        assertThat(failed.getAttempts()).isEqualTo(1);
        assertThat(failed.getOutput()).isNull();
        assertThat(failed.getError()).contains("max.request.size").contains("output of 2097154 bytes is dropped");
        assertThat(results.get(next.getId()).getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(deadLetters()).filteredOn(l -> l.getRequest() != null && l.getRequest().getId().equals(big.getId()))
                .singleElement().satisfies(l -> assertThat(l.getReason()).isEqualTo("OUTPUT_TOO_LARGE"));
        assertThat(app.consumer().isRunning()).isTrue();
    }

    @Test
    void healthIsUpAndMetricsCountProcessedTasks() throws Exception {
        TaskRequest echo = task("echo", "{}");
        submit(echo);
        awaitResults(List.of(echo));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"kafka\":\"UP\"").contains("\"registry\":\"UP\"").contains("\"consumer\":\"UP\"");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .contains("conveyor_tasks_processed_total{outcome=\"succeeded\",type=\"echo\"}")
                    .contains("conveyor_task_processing_seconds_bucket")
                    .contains("kafka_consumer_fetch_manager_records_consumed_total");
        }
    }

    static TaskRequest task(String type, String payload) {
        return task(type, payload, null);
    }

    static TaskRequest task(String type, String payload, String key) {
        String id = UUID.randomUUID().toString();
        return TaskRequest.newBuilder().setId(id).setType(type).setKey(key == null ? id : key).setPayload(payload)
                .setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(5).setCallbackUrl(null).setHeaders(Map.of()).build();
    }

    static org.apache.kafka.clients.producer.RecordMetadata submit(TaskRequest task) {
        try {
            ProducerRecord<String, TaskRequest> record = new ProducerRecord<>(Topics.TASKS.name(), task.getKey(), task);
            // as TaskClient writes it
            dev.conveyor.kafka.TaskHeaders.putType(record.headers(), task.getType());
            return tasks.send(record).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, TaskResult> awaitResults(List<TaskRequest> submitted) {
        Map<String, TaskResult> found = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Deserializer<TaskResult> decoder = AvroSerdes.deserializer(clients.cluster());
            found.clear();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(stack.bootstrapServers(), Topics.RESULTS.name())) {
                TaskResult result = decoder.deserialize(Topics.RESULTS.name(), r.value());
                found.put(result.getTaskId(), result);
            }
            assertThat(found.keySet()).containsAll(submitted.stream().map(TaskRequest::getId).collect(Collectors.toSet()));
        });
        return found;
    }

    static List<DeadLetter> deadLetters() {
        return TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).stream()
                .map(r -> decodeDeadLetter(r.value())).toList();
    }

    static DeadLetter decodeDeadLetter(byte[] bytes) {
        Deserializer<DeadLetter> decoder = AvroSerdes.deserializer(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        return decoder.deserialize(Topics.DEAD_LETTERS.name(), bytes);
    }
}
