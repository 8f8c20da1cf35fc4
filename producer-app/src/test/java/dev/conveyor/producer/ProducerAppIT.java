package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.kafka.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProducerAppIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static LocalStack stack;
    static KafkaClients clients;
    static ProducerApp app;
    static HttpClient http;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        ProducerAppConfig config = ProducerApp.load(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "MAX_PAYLOAD_BYTES", "1024",
                // the contract of a task, not authentication (AuthenticatedGatewayIT), is what this class proves
                "AUTH", "none"));
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
    void acceptedTaskIsOnTheTasksTopicInConfluentWireFormatBeforeThe202() throws Exception {
        HttpResponse<String> response = post(app.url(), """
                {"type": "email.send", "key": "user-42", "payload": {"to": "a@b.c"},
                 "callbackUrl": "https://hooks.example.com/conveyor", "headers": {"tenant": "acme"}, "maxAttempts": 3}""");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("QUEUED");
        String id = body.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        // time-ordered: the id carries the millisecond the task was submitted at
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(7);

        // the 202 comes after the broker's acknowledgement, so the record is readable right away
        ConsumerRecord<byte[], byte[]> record = find(id).orElseThrow();
        assertThat(new String(record.key())).isEqualTo("user-42");
        ByteBuffer value = ByteBuffer.wrap(record.value());
        assertThat(value.get()).isEqualTo((byte) 0);
        assertThat(value.getInt()).isPositive();
        TaskRequest task = decode(record);
        assertThat(task.getType()).isEqualTo("email.send");
        assertThat(JSON.readTree(task.getPayload())).isEqualTo(JSON.readTree("{\"to\":\"a@b.c\"}"));
        assertThat(task.getCallbackUrl()).isEqualTo("https://hooks.example.com/conveyor");
        assertThat(task.getHeaders()).containsEntry("tenant", "acme");
        assertThat(task.getMaxAttempts()).isEqualTo(3);
        assertThat(task.getAttempt()).isEqualTo(1);
        assertThat(java.util.UUID.fromString(id).getMostSignificantBits() >>> 16).isEqualTo(task.getSubmittedAt().toEpochMilli());
        // so the processor can pick the type's ORDERING_BY_TYPE mode before decoding the value
        assertThat(dev.conveyor.kafka.TaskHeaders.type(record.headers())).isEqualTo("email.send");
    }

    @Test
    void aDelayedTaskGoesToTheDelayTierNotToTasks() throws Exception {
        HttpResponse<String> response = post(app.url(), "{\"type\": \"echo\", \"key\": \"later-1\", \"delay\": \"45s\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        String id = JSON.readTree(response.body()).get("id").asText();
        assertThat(find(id)).isEmpty();
        List<ConsumerRecord<byte[], byte[]>> parked = TopicReader.read(stack.bootstrapServers(), "tasks.retry.30s").stream()
                .filter(r -> new String(r.key()).equals("later-1")).toList();
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(r.headers().lastHeader("conveyor.retry.due")).isNotNull();
            assertThat(dev.conveyor.kafka.TaskHeaders.type(r.headers())).isEqualTo("echo");
        });
    }

    @Test
    void aBatchIsAnsweredPerTaskAndOnlyItsValidTasksReachTheTopic() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/tasks/batch"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"type": "echo", "key": "batch-a"}, {"type": "echo", "colour": "red"},
                         {"type": "sleep", "key": "batch-b", "payload": {"ms": 1}}]""")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        JsonNode results = body.get("results");
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("problem").get("detail").asText()).contains("colour");
        for (int i : new int[] {0, 2}) {
            assertThat(results.get(i).get("status").asInt()).isEqualTo(202);
            TaskRequest task = decode(find(results.get(i).get("id").asText()).orElseThrow());
            assertThat(task.getKey()).isEqualTo(results.get(i).get("key").asText());
        }
    }

    @Test
    void keyDefaultsToTheTaskId() throws Exception {
        HttpResponse<String> response = post(app.url(), "{\"type\": \"echo\"}");

        String id = JSON.readTree(response.body()).get("id").asText();
        ConsumerRecord<byte[], byte[]> record = find(id).orElseThrow();
        assertThat(new String(record.key())).isEqualTo(id);
        assertThat(decode(record).getPayload()).isEqualTo("{}");
    }

    @Test
    void badInputIsAProblemDocumentAndNothingIsProduced() throws Exception {
        long before = TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name()).size();

        assertProblem(post(app.url(), "{\"type\": \"echo\""), 400, "invalid-task", "not valid JSON");
        assertProblem(post(app.url(), "[1, 2]"), 400, "invalid-task", "must be a JSON object");
        assertProblem(post(app.url(), "{\"payload\": {}}"), 400, "invalid-task", "type: is required");
        assertProblem(post(app.url(), "{\"type\": \"Send Email!\"}"), 400, "invalid-task", "is not a task type");
        assertProblem(post(app.url(), "{\"type\": 42}"), 400, "invalid-task", "type: must be a string");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"colour\": \"red\"}"), 400, "invalid-task", "colour: is not a task field");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"callbackUrl\": \"ftp://x\"}"), 400, "invalid-task", "callbackUrl");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"callbackUrl\": \"http://169.254.169.254/latest/meta-data/\"}"), 400,
                "invalid-task", "callbackUrl: must not lead to a blocked address: 169.254.169.254 is link-local (169.254.0.0/16)");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"maxAttempts\": 0}"), 400, "invalid-task", "maxAttempts");
        // found by fuzzing the parser (TaskJsonFuzzTest): the first was a 500, the others were read as the first task
        assertProblem(post(app.url(), "{\"type\":\"echo\",\"delay\":\"999999999999999999992s\",\"timeout\":\"2s\"}"), 400,
                "invalid-task", "delay:");
        assertProblem(post(app.url(), "{\"type\": \"echo\"}{\"type\": \"email.send\"}"), 400, "invalid-task", "not valid JSON");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"type\": \"email.send\"}"), 400, "invalid-task", "Duplicate field 'type'");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"runAt\": \"-300000000-01-01T00:00:00Z\"}"), 400, "invalid-task", "runAt:");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(2_000) + "\"}"),
                413, "payload-too-large", "more than the 1024 allowed");
        assertProblem(post(app.url(), "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(40_000) + "\"}"),
                413, "payload-too-large", "at most 1024 bytes");

        assertThat(TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name())).hasSize((int) before);
    }

    @Test
    void unreachableKafkaIsA503WithinTheSendTimeout() throws Exception {
        ProducerAppConfig config = ProducerApp.load(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0",
                "TOPICS_CREATE", "false",
                "SEND_TIMEOUT", "1s",
                "AUTH", "none"));
        try (KafkaClients deadClients = KafkaClients.connect(config.cluster());
             ProducerApp cutOff = ProducerApp.build(config, deadClients)) {
            long started = System.nanoTime();
            HttpResponse<String> response = post(cutOff.url(), "{\"type\": \"echo\"}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertProblem(response, 503, "kafka-unavailable", "not acknowledged");
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            assertThat(took).isLessThan(Duration.ofSeconds(10));

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(cutOff.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"kafka\":\"DOWN\"").contains("\"registry\":\"UP\"");
        }
    }

    @Test
    void healthIsUpWhenKafkaAndRegistryAnswerAndUnknownRoutesAreProblems() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(missing, 404, "not-found", "/nope");
    }

    @Test
    void javaClientSubmitsWithTheSameContract() throws Exception {
        SubmittedTask task = app.client().submit(TaskSubmission.of("echo", "{\"n\":1}").withKey("k-1"), Duration.ofSeconds(10));

        TaskRequest written = decode(find(task.id()).orElseThrow());
        assertThat(written.getKey()).isEqualTo("k-1");
        assertThat(written.getPayload()).isEqualTo("{\"n\":1}");
        assertThatThrownBy(() -> app.client().submit(TaskSubmission.of("echo", "\"" + "y".repeat(2_000) + "\""), Duration.ofSeconds(5)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> TaskSubmission.of("Bad Type", "{}")).isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("type:");

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("conveyor_tasks_submitted_total{type=\"echo\"}")
                .contains("kafka_producer_record_send_total");
    }

    static HttpResponse<String> post(String baseUrl, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/tasks"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(HttpResponse<String> response, int status, String kind, String detailContains) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:conveyor:problem:" + kind);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detailContains);
    }

    static Optional<ConsumerRecord<byte[], byte[]>> find(String id) {
        List<ConsumerRecord<byte[], byte[]>> all = TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name());
        return all.stream().filter(r -> decode(r).getId().equals(id)).findFirst();
    }

    static TaskRequest decode(ConsumerRecord<byte[], byte[]> record) {
        Deserializer<TaskRequest> deserializer = AvroSerdes.deserializer(clients.cluster());
        return deserializer.deserialize(Topics.TASKS.name(), record.value());
    }
}
