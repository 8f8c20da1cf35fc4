package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.auth.GatewayAuth;
import dev.conveyor.schema.TaskRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's bound on submissions waiting for Kafka, with a mock producer that acknowledges only
 * when told to: past the bound, requests are answered 503 at once instead of queueing.
 */
class TaskGatewayOverloadTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MockedGateway gateway;
    MockProducer<String, TaskRequest> kafka;

    @BeforeEach
    void start() {
        gateway = MockedGateway.start(false, 3, 3, GatewayAuth.none());
        kafka = gateway.kafka;
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void givenTheLimitOfUnacknowledgedTasksWhenMoreArriveThenTheyAre503AtOnceAndNothingIsQueued() throws Exception {
        CompletableFuture<HttpResponse<String>> batch = postAsync("/tasks/batch", "[{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"}]");
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 3);

        HttpResponse<String> refused = postAsync("/tasks", "{\"type\":\"echo\"}").get();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).get("type").asText()).isEqualTo("urn:conveyor:problem:overloaded");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(kafka.history()).as("the refused task was not handed to Kafka").hasSize(3);
        assertThat(batch).isNotDone();

        while (kafka.completeNext()) {
            // acknowledge the batch
        }
        JsonNode answer = JSON.readTree(batch.get().body());
        assertThat(batch.get().statusCode()).isEqualTo(200);
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);

        CompletableFuture<HttpResponse<String>> later = postAsync("/tasks", "{\"type\":\"echo\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 4);
        kafka.completeNext();
        assertThat(later.get().statusCode()).as("permits come back when Kafka answers").isEqualTo(202);
    }

    @Test
    void givenABatchWithAnInvalidTaskThenEachTaskIsAnsweredOnItsOwn() throws Exception {
        CompletableFuture<HttpResponse<String>> batch = postAsync("/tasks/batch", "[{\"type\":\"echo\"},{\"type\":\"Not A Type\"}]");
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 1);
        kafka.completeNext();

        JsonNode answer = JSON.readTree(batch.get().body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("refused").asInt()).isEqualTo(1);
        assertThat(answer.get("results").get(0).get("status").asInt()).isEqualTo(202);
        assertThat(answer.get("results").get(0).get("id").asText()).isNotBlank();
        assertThat(answer.get("results").get(1).get("status").asInt()).isEqualTo(400);
        assertThat(answer.get("results").get(1).get("problem").get("detail").asText()).startsWith("type:");
        assertThat(kafka.history()).as("the invalid task was not produced").hasSize(1);
    }

    @Test
    void givenTooManyTasksOrNoArrayThenTheBatchIsAProblemAndNothingIsProduced() throws Exception {
        HttpResponse<String> tooMany = postAsync("/tasks/batch", "[{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"}]").get();
        HttpResponse<String> notArray = postAsync("/tasks/batch", "{\"type\":\"echo\"}").get();

        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooMany.body()).get("type").asText()).isEqualTo("urn:conveyor:problem:batch-too-large");
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(kafka.history()).isEmpty();
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return gateway.post(path, body, "Content-Type", "application/json");
    }
}
