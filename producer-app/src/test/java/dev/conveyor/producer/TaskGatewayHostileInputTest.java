package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.auth.GatewayAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parser's fuzzing inputs sent over HTTP to the gateway's real routes: the hand-made seeds and every
 * input that once failed one request each, and the whole corpus (with what the fuzzer kept for new
 * coverage) as one batch. Each is a task Kafka got, or a 4xx problem document with nothing produced,
 * never a 500. Kafka is a mock that
 * acknowledges at once; the mock gateway's client takes no idempotency keys (claiming one needs a
 * broker's transactions), so a valid task with one is its 503 instead of a 202.
 */
class TaskGatewayHostileInputTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CORPUS = Path.of("src/test/resources/dev/conveyor/producer/TaskJsonFuzzTestInputs");

    static MockedGateway gateway;
    static HttpClient http;

    @BeforeAll
    static void start() {
        gateway = MockedGateway.start(true, 500, 10_000, GatewayAuth.none());
        // one kept-alive connection, no upgrade to HTTP/2 offered on every request
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void givenEverySeedAndFormerFailureThenTheGatewayAnswersATaskOrA4xxProblemAndProducesOnlyWhatItAccepted() throws Exception {
        // given
        List<Path> inputs;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            inputs = files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().startsWith("seed-") || file.getFileName().toString().startsWith("crash-"))
                    .sorted().toList();
        }
        assertThat(inputs).hasSizeGreaterThan(10);

        for (Path input : inputs) {
            int produced = gateway.kafka.history().size();

            // when each is sent as a request of its own
            HttpResponse<String> answer = post("/tasks", Files.readAllBytes(input));

            // then a task Kafka got, or a problem document and nothing produced
            int status = answer.statusCode();
            assertThat(status).as("%s: %s", input.getFileName(), answer.body()).isIn(202, 400, 413, 503);
            if (status == 202) {
                assertThat(gateway.kafka.history()).as(input.getFileName().toString()).hasSize(produced + 1);
            } else {
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(JSON.readTree(answer.body()).path("status").asInt()).isEqualTo(status);
                assertThat(gateway.kafka.history()).as("nothing produced for %s", input.getFileName()).hasSize(produced);
            }
        }
    }

    @Test
    void givenTheCorpusAsOneBatchThenEachTaskIsAnsweredOnItsOwnWithinTheBatch() throws Exception {
        // given every corpus input that is JSON at all, as one array
        StringBuilder batch = new StringBuilder("[");
        int tasks = 0;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path input : files.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    JsonNode task = JSON.readTree(Files.readAllBytes(input));
                    if (task != null && !task.isMissingNode() && tasks < 500) {
                        batch.append(tasks++ == 0 ? "" : ",").append(task);
                    }
                } catch (java.io.IOException notJson) {
                    // a body that is no JSON cannot be an element of an array
                }
            }
        }
        int before = gateway.kafka.history().size();

        // when
        HttpResponse<String> answer = post("/tasks/batch", batch.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        // then
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(answer.body());
        assertThat(results.path("results")).hasSize(tasks);
        results.path("results").forEach(result -> assertThat(result.path("status").asInt()).isIn(202, 400, 413, 503));
        assertThat(gateway.kafka.history()).hasSize(before + results.path("accepted").asInt());
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
