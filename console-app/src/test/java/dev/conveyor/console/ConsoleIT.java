package dev.conveyor.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.Env;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.TopicReader;
import org.apache.avro.specific.SpecificRecord;
import dev.conveyor.kafka.Topics;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console against the real pipeline: the gateway (with its status view), a processor, and the
 * console, on the real broker and registry. A workload of successes, exhausted retries and one
 * undecodable record, then the console's API checked for access rules and bad input, and its pages
 * driven in headless Chromium, the numbers they show compared with Kafka's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int SUCCEEDING = 30;
    static final int EXHAUSTED = 3;
    static final NewApiKey OPERATOR = NewApiKey.generate("operator", EnumSet.allOf(Scope.class), "*", 0);
    static final NewApiKey READER = NewApiKey.generate("reader", EnumSet.of(Scope.READ), "*", 0);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalStack stack;
    static KafkaClients producerClients;
    static KafkaClients processorClients;
    static KafkaClients consoleClients;
    static KafkaClients testClients;
    static ProducerApp producer;
    static ProcessorApp processor;
    static ConsoleApp console;
    static Path auditLog;
    static String echoTaskId;
    static List<String> exhaustedTaskIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.shared();
        auditLog = Files.createTempFile("console-audit", ".log");
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "TASKS_PARTITIONS", "3",
                "RESULTS_PARTITIONS", "3",
                "RETRY_TIERS", "100ms,200ms",
                "HTTP_PORT", "0",
                AuthSettings.API_KEYS, OPERATOR.line() + "\n" + READER.line()));
        processorClients = KafkaClients.connect(ProcessorApp.load(env).cluster());
        processor = ProcessorApp.build(ProcessorApp.load(env), processorClients, HandlerRegistry.discover(Env.of(env)));
        producerClients = KafkaClients.connect(ProducerApp.load(env).cluster());
        producer = ProducerApp.build(ProducerApp.load(env), producerClients);
        Map<String, String> consoleEnv = new HashMap<>(env);
        consoleEnv.put(ConsoleConfig.GATEWAY_URL, producer.url());
        consoleEnv.put(ConsoleConfig.GATEWAY_API_KEY, OPERATOR.key());
        consoleEnv.put(ConsoleConfig.AUDIT_LOG_FILE, auditLog.toString());
        consoleClients = KafkaClients.connect(ConsoleApp.load(consoleEnv).cluster());
        console = ConsoleApp.build(ConsoleApp.load(consoleEnv), consoleClients);
        testClients = KafkaClients.connect(ProducerApp.load(env).cluster());

        for (int i = 0; i < SUCCEEDING; i++) {
            String id = submit("{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
            echoTaskId = echoTaskId == null ? id : echoTaskId;
        }
        for (int i = 0; i < EXHAUSTED; i++) {
            // fails its only attempt, so it is dead-lettered; replayed with 3 attempts, its second one succeeds
            exhaustedTaskIds.add(submit("{\"type\":\"fail\",\"maxAttempts\":1,\"payload\":{\"failAttempts\":1}}"));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.TASKS.name(), "poison".getBytes(), new byte[] {0x13, 0x37, (byte) 0xca, (byte) 0xfe})).get();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> letters().size() == EXHAUSTED + 1 && results().size() == SUCCEEDING + EXHAUSTED);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {console, producer, processor, consoleClients, producerClients, processorClients,
                testClients}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    @Test
    @Order(1)
    void apiRefusesStrangersKeysWithoutAdminScopeAndPostsWithoutTheCsrfToken() throws Exception {
        HttpResponse<String> anonymous = get("/api/dead-letters", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

        HttpResponse<String> reader = post("/api/login", "{\"key\":\"" + READER.key() + "\"}", null, null);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(reader.body()).path("detail").asText()).contains("admin scope");
        assertThat(post("/api/login", "{\"key\":\"not-a-key\"}", null, null).statusCode()).isEqualTo(401);

        HttpResponse<String> login = post("/api/login", "{\"key\":\"" + OPERATOR.key() + "\"}", null, null);
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        String csrf = JSON.readTree(login.body()).path("csrf").asText();

        assertThat(post("/api/dead-letters/replay", "{\"all\":true}", session, null).statusCode()).isEqualTo(403);
        assertThat(post("/api/dead-letters/replay", "{\"all\":true}", session, "wrong").statusCode()).isEqualTo(403);
        HttpResponse<String> dryRun = post("/api/dead-letters/replay", "{\"all\":true}", session, csrf);
        assertThat(dryRun.statusCode()).isEqualTo(200);
        JsonNode preview = JSON.readTree(dryRun.body());
        assertThat(preview.path("execute").asBoolean()).isFalse();
        assertThat(preview.path("refs")).hasSize(EXHAUSTED);
        assertThat(preview.path("skipped").asInt()).isEqualTo(1);
        assertThat(letters()).hasSize(EXHAUSTED + 1);

        // bad input: a clear problem, and nothing done
        HttpResponse<String> empty = post("/api/dead-letters/replay", "{}", session, csrf);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).path("detail").asText()).contains("name the letters");
        assertThat(post("/api/dead-letters/replay", "not json", session, csrf).statusCode()).isEqualTo(400);
        assertThat(post("/api/dead-letters/replay", "{\"refs\":[\"x\"]}", session, csrf).statusCode()).isEqualTo(400);
        assertThat(post("/api/dead-letters/purge", "{\"before\":\"yesterday\"}", session, csrf).statusCode()).isEqualTo(400);
        assertThat(get("/api/dead-letters?since=soon", session).statusCode()).isEqualTo(400);
        assertThat(get("/api/dead-letters/0:999999", session).statusCode()).isEqualTo(404);

        // a purge preview deletes nothing; a 'before' in the future is refused, so nothing written after the preview is purged
        JsonNode purge = JSON.readTree(post("/api/dead-letters/purge", "{\"before\":\"" + java.time.Instant.now() + "\"}", session, csrf).body());
        assertThat(purge.path("letters").asInt()).isEqualTo(EXHAUSTED + 1);
        assertThat(post("/api/dead-letters/purge", "{\"before\":\"2100-01-01T00:00:00Z\"}", session, csrf).statusCode()).isEqualTo(400);
        assertThat(letters()).hasSize(EXHAUSTED + 1);

        // a script may use the key itself, without a session or a token
        HttpResponse<String> bearer = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "/api/dead-letters"))
                .header("Authorization", "Bearer " + OPERATOR.key()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(bearer.body()).path("count").asInt()).isEqualTo(EXHAUSTED + 1);
        // and it gets no session (nor a CSRF token) by asking for one
        HttpResponse<String> bearerSession = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "/api/session"))
                .header("Authorization", "Bearer " + OPERATOR.key()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bearerSession.statusCode()).isEqualTo(401);
        assertThat(bearerSession.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(console.auditTrail()).isEmpty();
    }

    @Test
    @Order(2)
    void pagesShowWhatKafkaHoldsAndAReplayFromTheBrowserMakesTheTaskSucceed() throws Exception {
        ConsoleBrowser browser = ConsoleBrowser.installOrSkip(Path.of("target", "e2e"));
        Path screenshots = Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
        String replayRef = null;
        String undecodableRef = null;
        for (var letter : letters().entrySet()) {
            if (letter.getValue().getRequest() == null) {
                undecodableRef = letter.getKey();
            } else if (letter.getValue().getRequest().getId().equals(exhaustedTaskIds.getFirst())) {
                replayRef = letter.getKey();
            }
        }
        Map<TaskEventKind, Long> kinds = eventCounts();
        // the pages are read before the replay changes anything: what Kafka holds now is what they must show
        await().atMost(Duration.ofSeconds(60)).until(() -> offsets().equals(offsets()) && allCaughtUp());
        Map<String, String> kafka = offsets();

        JsonNode seen = browser.run(Map.of("url", console.url() + "/", "adminKey", OPERATOR.key(), "readOnlyKey", READER.key(),
                "taskId", echoTaskId, "submitted", SUCCEEDING + EXHAUSTED, "deadLetters", EXHAUSTED + 1,
                "replayRef", replayRef, "undecodableRef", undecodableRef, "screenshots", screenshots.toString()));
        assertThat(seen.path("error").isMissingNode()).as("the browser run failed: %s", seen.path("error").asText()).isTrue();

        assertThat(seen.path("readOnlyRefusal").asText()).contains("admin scope");
        // the overview's totals are the events on tasks.events
        JsonNode overview = seen.path("overview");
        assertThat(overview.path("submitted").asLong()).isEqualTo(kinds.getOrDefault(TaskEventKind.QUEUED, 0L));
        assertThat(overview.path("succeeded").asLong()).isEqualTo(kinds.getOrDefault(TaskEventKind.SUCCEEDED, 0L)).isEqualTo(SUCCEEDING);
        assertThat(overview.path("failed").asLong()).isEqualTo(kinds.getOrDefault(TaskEventKind.FAILED, 0L));
        assertThat(overview.path("dead_lettered").asLong()).isEqualTo(kinds.getOrDefault(TaskEventKind.DEAD_LETTERED, 0L));
        assertThat(overview.path("p50").asText()).matches("\\d+(\\.\\d)? m?s");
        // every partition row shows the end offset and committed offset Kafka has for that group
        assertThat(seen.path("partitions").size()).isPositive();
        for (JsonNode row : seen.path("partitions")) {
            String at = row.path("group").asText() + " " + row.path("topic").asText() + "-" + row.path("partition").asInt();
            assertThat(row.path("cells").get(2).asText() + " " + row.path("cells").get(3).asText()).as("end and committed offsets, %s", at)
                    .isEqualTo(kafka.get(at));
        }
        assertThat(seen.path("consumerGroups").toString()).contains(processorGroup());
        // each processor partition with a commit shows when and by which instance (its commit note), and the member its counts
        assertThat(seen.path("partitions").findValues("group")).isNotEmpty();
        boolean notedCommit = false;
        for (JsonNode row : seen.path("partitions")) {
            if (row.path("group").asText().equals(processorGroup()) && !row.path("cells").get(3).asText().equals("-")) {
                assertThat(row.path("cells").get(8).asText()).contains(" by ");
                notedCommit = true;
            }
        }
        assertThat(notedCommit).isTrue();
        for (JsonNode member : seen.path("members")) {
            if (member.path("group").asText().equals(processorGroup())) {
                assertThat(member.path("cells").get(3).asText()).as("in flight").matches("\\d+");
                assertThat(member.path("cells").get(4).asText()).as("running").matches("\\d+");
            }
        }
        assertThat(seen.path("task").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(seen.path("task").path("timeline").toString()).contains("QUEUED").contains("SUCCEEDED");
        assertThat(seen.path("deadLetterCount").asText()).startsWith((EXHAUSTED + 1) + " matching");
        assertThat(seen.path("inspected").path("valueHex").asText()).isEqualTo("1337cafe");
        assertThat(seen.path("replayPreview").asText()).contains("Replay 1 task(s)").contains(replayRef);
        assertThat(seen.path("replayResult").asText()).isEqualTo("replayed 1 task(s)");
        assertThat(seen.path("postWithoutCsrf").asInt()).isEqualTo(403);
        assertThat(seen.path("audit").get(0).toString()).contains("operator").contains("replay").contains(replayRef);

        // the replayed task succeeds on its second attempt, and the audit file says who replayed it
        String replayed = exhaustedTaskIds.getFirst();
        await().atMost(Duration.ofSeconds(60)).until(() -> results().stream()
                .anyMatch(r -> r.getTaskId().equals(replayed) && r.getStatus() == TaskStatus.SUCCEEDED));
        List<String> audit = Files.readAllLines(auditLog);
        assertThat(audit).hasSize(1);
        JsonNode line = JSON.readTree(audit.getFirst());
        assertThat(line.path("who").asText()).isEqualTo("operator");
        assertThat(line.path("action").asText()).isEqualTo("replay");
        assertThat(line.path("count").asInt()).isEqualTo(1);
        assertThat(line.path("selection").path("refs").toString()).contains(replayRef);
        assertThat(screenshots.resolve("overview.png")).exists();
        assertThat(screenshots.resolve("dead-letters.png")).exists();
    }

    static String submit(String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(producer.url() + "/tasks"))
                .header("Authorization", OPERATOR.authorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).path("id").asText();
    }

    static HttpResponse<String> get(String path, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console.url() + path));
        if (session != null) {
            request.header("Cookie", session);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body, String session, String csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(console.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Cookie", session);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every record of {@code topic}, decoded, by its {@code partition:offset}, in the order read. */
    static <V extends SpecificRecord> Map<String, V> read(TopicDescriptor<V> topic) {
        Map<String, V> records = new java.util.LinkedHashMap<>();
        try (Deserializer<V> decoder = testClients.valueDeserializer(topic)) {
            TopicReader.read(testClients.cluster(), topic.name()).forEach(r ->
                    records.put(r.partition() + ":" + r.offset(), decoder.deserialize(r.topic(), r.value())));
        }
        return records;
    }

    static Map<String, DeadLetter> letters() {
        return read(Topics.DEAD_LETTERS);
    }

    static List<TaskResult> results() {
        return List.copyOf(read(Topics.RESULTS).values());
    }

    static Map<TaskEventKind, Long> eventCounts() {
        Map<TaskEventKind, Long> counts = new HashMap<>();
        read(Topics.EVENTS).values().forEach(event -> counts.merge(event.getKind(), 1L, Long::sum));
        return counts;
    }

    /** For every group and every partition of the topics it commits on: "end committed" (committed "-" when none), by Kafka's admin API. */
    static Map<String, String> offsets() throws Exception {
        Admin admin = testClients.admin();
        Map<String, String> offsets = new HashMap<>();
        for (var listing : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(listing.groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Set<String> topics = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                description.partitions().forEach(p -> query.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            var ends = admin.listOffsets(query, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
            ends.forEach((tp, end) -> {
                OffsetAndMetadata at = committed.get(tp);
                offsets.put(listing.groupId() + " " + tp, end.offset() + " " + (at == null ? "-" : Long.toString(at.offset())));
            });
        }
        return offsets;
    }

    /** Every group has committed every partition it commits on up to its end: nothing left in flight. */
    static boolean allCaughtUp() throws Exception {
        return offsets().values().stream().allMatch(v -> {
            String[] endAndCommitted = v.split(" ");
            return endAndCommitted[1].equals("-") || Long.parseLong(endAndCommitted[0]) - Long.parseLong(endAndCommitted[1]) <= 1;
        });
    }

    static String processorGroup() {
        return dev.conveyor.processor.ProcessorAppConfig.DEFAULT_GROUP_ID;
    }
}
