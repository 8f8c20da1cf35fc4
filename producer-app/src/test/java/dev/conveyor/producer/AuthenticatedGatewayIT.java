package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway with API keys from a keys file, on the real broker: what each refusal answers, that none
 * of them produces anything, and that an accepted task carries its key's id to {@code tasks} and to its status.
 */
class AuthenticatedGatewayIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey BILLING = NewApiKey.generate("billing", EnumSet.of(Scope.SUBMIT, Scope.READ), "email.*,echo", 0);
    /** One task per 100 s: its second task is refused however slowly the test runs. */
    static final NewApiKey THROTTLED = NewApiKey.generate("throttled", EnumSet.of(Scope.SUBMIT), "echo", 0.01);
    static final NewApiKey READER = NewApiKey.generate("reader", EnumSet.of(Scope.READ), "", 0);
    static final NewApiKey OPS = NewApiKey.generate("ops", EnumSet.of(Scope.ADMIN), "", 0);
    static final Duration AWAIT = Duration.ofSeconds(30);

    static LocalStack stack;
    static KafkaClients clients;
    static ProducerApp app;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.shared();
        Path keys = Files.createTempFile("conveyor-keys", ".txt");
        Files.writeString(keys, "# keys of AuthenticatedGatewayIT\n" + String.join("\n", BILLING.line(), THROTTLED.line(), READER.line(), OPS.line()));
        ProducerAppConfig config = ProducerApp.load(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "API_KEYS_FILE", keys.toString(),
                "METRICS_AUTH", "true",
                "STATUS_APPLICATION_ID", "auth-it-" + UUID.randomUUID().toString().substring(0, 8)));
        clients = KafkaClients.connect(config.cluster());
        app = ProducerApp.build(config, clients);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        app.close();
        clients.close();
        http.close();
    }

    @Test
    void givenRequestsWithoutAValidKeyOutsideTheKeysScopeOverItsRateOrNotJsonThenEachIsItsProblemAndNothingReachesTasks() throws Exception {
        // given task keys that mark each refused request's tasks
        List<String> refused = new ArrayList<>();

        // when
        HttpResponse<String> missing = post("/tasks", null, task("echo", refused));
        HttpResponse<String> wrong = post("/tasks", "Bearer cvk_" + "x".repeat(43), task("echo", refused));
        HttpResponse<String> malformed = post("/tasks", "Token " + BILLING.key(), task("echo", refused));
        HttpResponse<String> outOfScope = post("/tasks", BILLING.authorization(), task("report.render", refused));
        HttpResponse<String> batchOutOfScope = post("/tasks/batch", BILLING.authorization(),
                "[" + task("email.send", refused) + "," + task("report.render", refused) + "]");
        HttpResponse<String> readerSubmits = post("/tasks", READER.authorization(), task("echo", refused));
        HttpResponse<String> admitted = post("/tasks", THROTTLED.authorization(), task("echo", new ArrayList<>()));
        HttpResponse<String> overRate = post("/tasks", THROTTLED.authorization(), task("echo", refused));
        HttpResponse<String> notJson = send(request("/tasks", BILLING.authorization())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(task("echo", refused))));

        // then
        for (HttpResponse<String> unauthenticated : List.of(missing, wrong, malformed)) {
            ProducerAppIT.assertProblem(unauthenticated, 401, "unauthorized", "");
            assertThat(unauthenticated.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Bearer realm=\"conveyor\""));
        }
        ProducerAppIT.assertProblem(outOfScope, 403, "forbidden", "may not submit tasks of type report.render");
        ProducerAppIT.assertProblem(batchOutOfScope, 403, "forbidden", "may not submit tasks of type report.render");
        ProducerAppIT.assertProblem(readerSubmits, 403, "forbidden", "does not have the submit scope");
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(202);
        ProducerAppIT.assertProblem(overRate, 429, "rate-limited", "the API key 'throttled' may submit 0.01 tasks per second");
        assertThat(overRate.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(seconds ->
                assertThat(seconds).isBetween(1L, 100L));
        ProducerAppIT.assertProblem(notJson, 415, "unsupported-media-type", "Content-Type: application/json");
        // every answer came after the gateway decided; an accepted task is on the topic before its 202
        Set<String> onTasks = TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name()).stream()
                .map(record -> new String(record.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
        assertThat(onTasks).doesNotContainAnyElementsOf(refused).contains(JSON.readTree(admitted.body()).get("key").asText());
    }

    @Test
    void givenAValidKeyThenItsTaskCarriesTheKeysIdToTasksAndToItsStatusWhichOnlyThatKeyAndAdminsRead() throws Exception {
        // when
        HttpResponse<String> accepted = post("/tasks", BILLING.authorization(), task("echo", new ArrayList<>()));

        // then the task on the topic names its submitter
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        TaskRequest task = decode(TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name()).stream()
                .filter(record -> decode(record).getId().equals(id)).findFirst().orElseThrow());
        assertThat(task.getHeaders()).containsEntry(TaskEvents.SUBMITTER, "billing");
        // and so does its status, which its own key and an admin key read, and any other key finds unknown
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get("/tasks/" + id, BILLING.authorization()).statusCode()).isEqualTo(200));
        JsonNode status = JSON.readTree(get("/tasks/" + id, BILLING.authorization()).body());
        assertThat(status.get("submitter").asText()).isEqualTo("billing");
        assertThat(get("/tasks/" + id, OPS.authorization()).statusCode()).isEqualTo(200);
        ProducerAppIT.assertProblem(get("/tasks/" + id, READER.authorization()), 404, "task-not-found", id);
        ProducerAppIT.assertProblem(get("/tasks/" + id + "?wait=5s", READER.authorization()), 404, "task-not-found", id);
        ProducerAppIT.assertProblem(get("/tasks/" + id, THROTTLED.authorization()), 403, "forbidden", "read scope");
        ProducerAppIT.assertProblem(get("/tasks/" + id, null), 401, "unauthorized", "");
    }

    @Test
    void givenHealthAndMetricsThenHealthIsOpenAndMetricsNeedAnAdminKeyWhenMetricsAuthIsOn() throws Exception {
        assertThat(get("/health", null).statusCode()).isIn(200, 503);
        ProducerAppIT.assertProblem(get("/metrics", null), 401, "unauthorized", "");
        ProducerAppIT.assertProblem(get("/metrics", BILLING.authorization()), 403, "forbidden", "admin scope");
        HttpResponse<String> metrics = get("/metrics", OPS.authorization());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("conveyor_auth_refused_total");
    }

    /** A task of {@code type} with a fresh task key, added to {@code markers}. */
    static String task(String type, List<String> markers) {
        String key = "auth-it-" + UUID.randomUUID();
        markers.add(key);
        return "{\"type\": \"" + type + "\", \"key\": \"" + key + "\"}";
    }

    static HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(30));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    static HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        return send(request(path, authorization).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> get(String path, String authorization) throws Exception {
        return send(request(path, authorization).GET());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static TaskRequest decode(ConsumerRecord<byte[], byte[]> record) {
        Deserializer<TaskRequest> deserializer = AvroSerdes.deserializer(clients.cluster());
        return deserializer.deserialize(Topics.TASKS.name(), record.value());
    }
}
