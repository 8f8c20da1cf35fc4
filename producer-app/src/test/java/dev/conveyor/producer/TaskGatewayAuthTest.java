package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.GatewayAuth;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.schema.TaskRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the gateway makes of the caller's key and of the body's media type, with a mock producer in place of Kafka. */
class TaskGatewayAuthTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey BILLING = NewApiKey.generate("billing", EnumSet.of(Scope.SUBMIT), "email.*,echo", 0);

    MockedGateway gateway;
    MockProducer<String, TaskRequest> kafka;

    @BeforeEach
    void start() {
        GatewayAuth auth = GatewayAuth.from(new AuthSettings(true, null, List.of(BILLING.stored()), false), Clock.systemUTC(),
                new SimpleMeterRegistry());
        gateway = MockedGateway.start(true, 10, 10, auth);
        kafka = gateway.kafka;
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void givenAValidKeyThenTheTaskCarriesItsIdAsTheSubmitterHeader() throws Exception {
        // when
        HttpResponse<String> single = post("/tasks", "application/json; charset=utf-8", "{\"type\":\"echo\",\"headers\":{\"tenant\":\"acme\"}}");
        HttpResponse<String> batch = post("/tasks/batch", "application/json", "[{\"type\":\"email.send\"}]");

        // then
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 2);
        assertThat(kafka.history()).allSatisfy(record -> assertThat(record.value().getHeaders())
                .containsEntry(TaskEvents.SUBMITTER, "billing"));
        assertThat(kafka.history().getFirst().value().getHeaders()).containsEntry("tenant", "acme");
    }

    @Test
    void givenASubmitterHeaderInTheRequestThenTheTaskIsRefusedSoNoClientCanClaimAnotherKeysTasks() throws Exception {
        // when
        HttpResponse<String> forged = post("/tasks", "application/json", "{\"type\":\"echo\",\"headers\":{\"conveyor.submitter\":\"ops\"}}");

        // then
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(forged.body()).get("detail").asText()).startsWith("headers.conveyor.submitter: is set by the gateway");
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void givenABodyNotDeclaredAsJsonThenTheAnswerIs415AndNothingIsProduced() throws Exception {
        // when
        List<HttpResponse<String>> answers = List.of(post("/tasks", null, "{\"type\":\"echo\"}"),
                post("/tasks", "text/plain", "{\"type\":\"echo\"}"),
                post("/tasks/batch", "application/x-www-form-urlencoded", "[{\"type\":\"echo\"}]"),
                post("/tasks", "application/jsonx", "{\"type\":\"echo\"}"));

        // then
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(415);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("type").asText()).isEqualTo("urn:conveyor:problem:unsupported-media-type");
            assertThat(problem.get("detail").asText()).contains("Content-Type: application/json");
        }
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void givenABatchWithOneTypeOutsideTheKeyThenTheWholeBatchIs403AndNothingIsProduced() throws Exception {
        // when
        HttpResponse<String> batch = post("/tasks/batch", "application/json",
                "[{\"type\":\"echo\"},{\"type\":\"video.encode\"},{\"type\":\"Not A Type\"}]");

        // then
        assertThat(batch.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(batch.body()).get("detail").asText()).contains("may not submit tasks of type video.encode;");
        assertThat(kafka.history()).isEmpty();
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return (contentType == null ? gateway.post(path, body, "Authorization", BILLING.authorization())
                : gateway.post(path, body, "Authorization", BILLING.authorization(), "Content-Type", contentType)).get();
    }
}
