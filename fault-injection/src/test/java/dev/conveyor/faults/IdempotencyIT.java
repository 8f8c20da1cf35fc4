package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.producer.TaskClient;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.JavaApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof 7: the same idempotency key submitted concurrently to two producer-app instances (and
 * several times to each) yields one task id, one 202 and 200s for the rest, and one run.
 */
class IdempotencyIT {

    static final int KEYS = 40;
    static final int COPIES = 6;
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Rig rig = new Rig();
    static List<ProducerApp> producers = new ArrayList<>();
    static List<KafkaClients> producerClients = new ArrayList<>();

    @BeforeAll
    static void start() {
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = new HashMap<>(rig.env("producer-" + i, DeliveryGuarantee.AT_LEAST_ONCE));
            env.put("HTTP_PORT", "0");
            // racing submissions are the subject here, not authentication (AuthenticatedGatewayIT)
            env.put(AuthSettings.AUTH, AuthSettings.NO_AUTH);
            KafkaClients clients = KafkaClients.connect(new ClusterConfig(rig.stack.bootstrapServers(), rig.stack.registryUrl()));
            producerClients.add(clients);
            producers.add(ProducerApp.build(ProducerApp.load(env), clients));
        }
    }

    @AfterAll
    static void stop() {
        producers.forEach(ProducerApp::close);
        producerClients.forEach(KafkaClients::close);
    }

    @Test
    void concurrentDuplicatesOnTwoProducersMakeOneTaskThatRunsOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> processors = rig.processors(1, DeliveryGuarantee.AT_LEAST_ONCE);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             TopicTail<TaskEvent> duplicates = new TopicTail<>(rig.clients, Topics.EVENTS,
                     e -> e.getKind() == TaskEventKind.DUPLICATE_SKIPPED && e.getKey() != null && e.getKey().startsWith(run));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < KEYS; k++) {
                String idempotencyKey = run + "-idem-" + k;
                for (int copy = 0; copy < COPIES; copy++) {
                    String url = producers.get(copy % producers.size()).url() + "/tasks";
                    // the body field on some requests, the Idempotency-Key header on the others
                    boolean asHeader = copy % 3 == 0;
                    String body = "{\"type\":\"echo\",\"key\":\"" + run + "-" + k + "\",\"payload\":{\"k\":" + k + "}"
                            + (asHeader ? "" : ",\"idempotencyKey\":\"" + idempotencyKey + "\"") + "}";
                    answers.add(CompletableFuture.supplyAsync(() -> post(http, url, body, asHeader ? idempotencyKey : null, go), callers));
                }
            }
            go.countDown();
            List<Answer> all = answers.stream().map(CompletableFuture::join).toList();

            Map<String, List<Answer>> byKey = all.stream().collect(Collectors.groupingBy(Answer::taskKey));
            assertThat(byKey).hasSize(KEYS);
            Set<String> taskIds = all.stream().map(Answer::id).collect(Collectors.toSet());
            byKey.forEach((key, copies) -> {
                assertThat(copies.stream().map(Answer::id).distinct()).as("task ids for " + key).hasSize(1);
                assertThat(copies.stream().filter(a -> a.status() == 202)).as("202s for " + key).hasSize(1);
                assertThat(copies.stream().filter(a -> a.status() == 200)).as("200s for " + key).hasSize(COPIES - 1);
            });

            await().atMost(Duration.ofMinutes(2)).until(() -> Outcomes.of(results.values()).covers(taskIds));
            // every copy that lost its key is reported to the status view as skipped, none of the winners
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(duplicates.values().stream()
                    .map(TaskEvent::getTaskId).distinct().count()).isEqualTo((long) KEYS * (COPIES - 1)));
            assertThat(duplicates.values()).noneMatch(e -> taskIds.contains(e.getTaskId()));
        } finally {
            processors.forEach(JavaApp::close);
        }
        // every submission wrote a task record; only the winners may have run
        List<TaskResult> finalResults = rig.results(run);
        assertThat(finalResults).hasSize(KEYS);
        assertThat(Outcomes.of(finalResults).resultsPerTask()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
    }

    @Test
    void aJavaClientSubmissionResubmittedAfterAFailureIsOneTaskThatRunsOnce() {
        // given submissions made with TaskSubmission.of, which draws an idempotency key per submission
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<TaskSubmission> submissions = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> TaskSubmission.of("echo", "{\"i\":" + i + "}").withKey(run + "-drawn-" + i)).toList();
        List<JavaApp> processors = rig.processors(1, DeliveryGuarantee.AT_LEAST_ONCE);
        // and a client built the documented way, in a service of its own
        TaskClient service = TaskClient.connect(rig.clients, "billing-" + run);
        try {
            // when each is submitted, then submitted again as a caller that saw a timeout would, through both
            // gateway instances' clients and the service's own
            Map<TaskSubmission, Set<String>> ids = new HashMap<>();
            for (TaskSubmission submission : submissions) {
                for (TaskClient client : List.of(service, producers.get(0).client(), producers.get(1).client(), service)) {
                    ids.computeIfAbsent(submission, s -> new java.util.HashSet<>())
                            .add(client.submit(submission, Duration.ofSeconds(30)).id());
                }
            }

            // then each submission is one task id, and each runs once
            assertThat(ids.values()).allSatisfy(taskIds -> assertThat(taskIds).hasSize(1));
            Set<String> taskIds = ids.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            await().atMost(Duration.ofMinutes(2)).until(() -> Outcomes.of(rig.results(run)).covers(taskIds));
        } finally {
            service.close();
            processors.forEach(JavaApp::close);
        }
        List<TaskResult> finalResults = rig.results(run);
        assertThat(finalResults).hasSize(submissions.size());
        assertThat(Outcomes.of(finalResults).resultsPerTask()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
    }

    record Answer(int status, String id, String taskKey) {
    }

    private static Answer post(HttpClient http, String url, String body, String header, CountDownLatch go) {
        try {
            go.await();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (header != null) {
                request.header("Idempotency-Key", header);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
            return new Answer(response.statusCode(), json.path("id").asText(), json.path("key").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
