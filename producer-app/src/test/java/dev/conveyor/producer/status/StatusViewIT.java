package dev.conveyor.producer.status;

import static dev.conveyor.producer.status.Events.event;
import static dev.conveyor.schema.TaskEventKind.DELIVERED;
import static dev.conveyor.schema.TaskEventKind.FAILED;
import static dev.conveyor.schema.TaskEventKind.QUEUED;
import static dev.conveyor.schema.TaskEventKind.RETRY_SCHEDULED;
import static dev.conveyor.schema.TaskEventKind.STARTED;
import static dev.conveyor.schema.TaskEventKind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.producer.ProducerAppConfig;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The status view against the real broker and registry: two gateway instances sharing one view,
 * fed with events produced straight to {@code tasks.events} with the registry's Avro serializer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusViewIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLICATION_ID = "status-view-it";
    /**
     * The events here are written straight to {@code tasks.events}, without a submitter, so only an admin
     * key reads them; a question forwarded to the instance holding a task carries it along.
     */
    static final NewApiKey KEY = NewApiKey.generate("status-view-it", EnumSet.of(Scope.SUBMIT, Scope.ADMIN), "*", 0);
    static final Duration AWAIT = Duration.ofSeconds(30);
    /** A task type of this test's own: other tests' tasks in the view do not change its counts. */
    static final String STATS_TYPE = "it.stats." + UUID.randomUUID().toString().substring(0, 8);
    static final List<String> statsRunning = new ArrayList<>();

    static LocalStack stack;
    static KafkaClients clients;
    static Producer<String, TaskEvent> events;
    static HttpClient http;
    static Gateway a;
    static Gateway b;

    record Gateway(String instanceId, Path stateDir, KafkaClients clients, ProducerApp app) {

        static Gateway start(String instanceId, Path stateDir) {
            ProducerAppConfig config = ProducerApp.load(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                    "HTTP_PORT", "0",
                    "INSTANCE_ID", instanceId,
                    "STATUS_STATE_DIR", stateDir.toString(),
                    "STATUS_APPLICATION_ID", APPLICATION_ID,
                    "API_KEYS", KEY.line()));
            KafkaClients clients = KafkaClients.connect(config.cluster());
            return new Gateway(instanceId, stateDir, clients, ProducerApp.build(config, clients));
        }

        StatusView view() {
            return app.statusView().orElseThrow();
        }

        HostInfo host() {
            return view().host();
        }

        void close() {
            app.close();
            clients.close();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        stack = LocalStack.shared();
        http = HttpClient.newHttpClient();
        a = Gateway.start("status-it-a", Files.createTempDirectory("status-it-a"));
        b = Gateway.start("status-it-b", Files.createTempDirectory("status-it-b"));
        clients = KafkaClients.connect(a.clients().cluster());
        events = clients.producer("status-view-it", Map.of());
        awaitRunning(a, b);
    }

    @AfterAll
    static void stop() {
        events.close();
        clients.close();
        a.close();
        b.close();
        http.close();
    }

    @Test
    @Order(1)
    void givenATasksEventsOutOfOrderAndRepeatedThenEitherInstanceAnswersItsFinalStateAndTimeline() throws Exception {
        // given
        String id = newId();
        Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        // when its events arrive out of order, some twice
        send(event(id, STARTED, 1, t.plusMillis(10)).setInstance("proc-1").build(),
                event(id, QUEUED, 0, t).build(),
                event(id, STARTED, 1, t.plusMillis(10)).setInstance("proc-1").build(),
                event(id, RETRY_SCHEDULED, 1, t.plusMillis(20)).setError("java.io.IOException: down").setDueAt(t.plusSeconds(5)).build(),
                event(id, STARTED, 2, t.plusSeconds(5)).setInstance("proc-2").build(),
                event(id, SUCCEEDED, 2, t.plusSeconds(6)).setOutput("{\"ok\":1}").setInstance("proc-2").build(),
                event(id, SUCCEEDED, 2, t.plusSeconds(6)).setOutput("{\"ok\":1}").setInstance("proc-2").build(),
                event(id, DELIVERED, 1, t.plusSeconds(7)).setChannel("webhook").build());

        // then both instances answer the same document, one from its store and one forwarded
        for (Gateway gateway : List.of(a, b)) {
            JsonNode status = awaitStatus(gateway, id, s -> s.path("deliveries").has("webhook"));
            assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(status.path("terminal").asBoolean()).isTrue();
            assertThat(status.path("attempts").asInt()).isEqualTo(2);
            assertThat(status.path("key").asText()).isEqualTo("k-" + id);
            assertThat(status.path("queuedAt").asText()).isEqualTo(t.toString());
            assertThat(status.path("startedAt").asText()).isEqualTo(t.plusMillis(10).toString());
            assertThat(status.path("lastStartedAt").asText()).isEqualTo(t.plusSeconds(5).toString());
            assertThat(status.path("finishedAt").asText()).isEqualTo(t.plusSeconds(6).toString());
            assertThat(status.path("lastError").asText()).isEqualTo("java.io.IOException: down");
            assertThat(status.path("instance").asText()).isEqualTo("proc-2");
            assertThat(status.path("result").path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(status.path("result").path("output").asText()).isEqualTo("{\"ok\":1}");
            assertThat(status.path("deliveries").path("webhook").path("state").asText()).isEqualTo("DELIVERED");
            assertThat(kinds(status)).containsExactly("QUEUED", "STARTED", "RETRY_SCHEDULED", "STARTED", "SUCCEEDED", "DELIVERED");

            HttpResponse<String> timeline = get(gateway, "/tasks/" + id + "/events");
            assertThat(timeline.statusCode()).isEqualTo(200);
            assertThat(kinds(JSON.readTree(timeline.body()))).containsExactly("QUEUED", "STARTED", "RETRY_SCHEDULED", "STARTED", "SUCCEEDED",
                    "DELIVERED");
        }
    }

    @Test
    @Order(2)
    void givenUnknownOrMalformedRequestsThenTheyAreProblems() throws Exception {
        // given an id nobody submitted
        String unknown = newId();

        for (Gateway gateway : List.of(a, b)) {
            // then
            assertProblem(get(gateway, "/tasks/" + unknown), 404, "task-not-found");
            assertProblem(get(gateway, "/tasks/" + unknown + "/events"), 404, "task-not-found");
            assertProblem(get(gateway, "/tasks/not-a-uuid"), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown.replace("-", "")), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown + "?wait=soon"), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown + "?wait=2m"), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown + "?wait=0ms"), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown + "?colour=red"), 400, "invalid-request");
            assertProblem(get(gateway, "/tasks/" + unknown + "/events?wait=1s"), 400, "invalid-request");
            assertProblem(get(gateway, "/stats?type=echo"), 400, "invalid-request");
        }
    }

    @Test
    @Order(3)
    void givenALongPollThenItIsAnsweredWhenTheTerminalEventArrives() throws Exception {
        // given four running tasks, two owned by each instance
        List<String> ids = new ArrayList<>(idsOwnedByEach());
        ids.addAll(idsOwnedByEach());
        Instant t = Instant.now();
        for (String id : ids) {
            send(event(id, QUEUED, 0, t).build(), event(id, STARTED, 1, t).build());
            awaitStatus(a, id, s -> s.path("state").asText().equals("RUNNING"));
        }

        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Gateway asked = i < 2 ? a : b;
            Gateway owner = ownerOf(id).equals(a.host()) ? a : b;
            // when a client waits on it, at its owner or forwarded there, and once it waits the task succeeds
            CompletableFuture<HttpResponse<String>> waiting = getAsync(asked, "/tasks/" + id + "?wait=30s");
            await().atMost(AWAIT).until(() -> waiters(owner) == 1);
            long produced = System.nanoTime();
            send(event(id, SUCCEEDED, 1, Instant.now()).build());
            HttpResponse<String> answer = waiting.join();
            long answered = System.nanoTime();

            // then it is answered with the terminal state, well within its wait
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("state").asText()).isEqualTo("SUCCEEDED");
            Duration latency = Duration.ofNanos(answered - produced);
            System.out.printf("long-poll at %s on a task %s: answered %d ms after the terminal event was produced%n",
                    asked.instanceId(), owner == asked ? "it owns" : "the other instance owns", latency.toMillis());
            assertThat(latency).isLessThan(Duration.ofSeconds(20));
            await().atMost(AWAIT).until(() -> waiters(a) + waiters(b) == 0);
        }
    }

    @Test
    @Order(4)
    void givenAThousandConcurrentLongPollsThenAllAreAnsweredAndOtherRequestsAreServedMeanwhile() throws Exception {
        // given 100 running tasks
        Instant t = Instant.now();
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> newId()).toList();
        send(ids.stream().map(id -> event(id, STARTED, 1, t).build()).toArray(TaskEvent[]::new));
        for (String id : ids) {
            awaitStatus(a, id, s -> true);
        }

        // when 1,000 clients wait on them, ten per task, spread over both instances
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        long[] answeredAt = new long[1_000];
        int forwarded = 0;
        for (int i = 0; i < 1_000; i++) {
            Gateway asked = i % 2 == 0 ? a : b;
            String id = ids.get(i % ids.size());
            forwarded += ownerOf(id).equals(asked.host()) ? 0 : 1;
            int request = i;
            waiting.add(getAsync(asked, "/tasks/" + id + "?wait=10s").thenApply(answer -> {
                answeredAt[request] = System.nanoTime();
                return answer;
            }));
            if ((i + 1) % 100 == 0) {
                // connections opened a hundred at a time: a burst of a thousand overflows the listen backlog, and a
                // dropped SYN is retried by the kernel only after seconds; the waits still all hold at once
                int soFar = i + 1 + forwarded;
                await().atMost(AWAIT).untilAsserted(() -> assertThat(waiters(a) + waiters(b)).as("parked").isEqualTo(soFar));
            }
        }
        // every wait parked at its task's owner, and counted where it was forwarded from
        int parked = 1_000 + forwarded;
        await().atMost(AWAIT).untilAsserted(() -> assertThat(waiters(a) + waiters(b)).as("parked").isEqualTo(parked));
        System.out.printf("1,000 long-polls parked in %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());

        // then other requests are served meanwhile
        assertThat(get(a, "/health").statusCode()).isEqualTo(200);
        assertThat(get(b, "/tasks/" + ids.getFirst()).statusCode()).isEqualTo(200);
        assertThat(get(b, "/stats").statusCode()).isEqualTo(200);
        assertThat(waiting).filteredOn(CompletableFuture::isDone).isEmpty();

        // when half the tasks succeed
        List<String> succeeding = ids.subList(0, 50);
        long produced = System.nanoTime();
        send(succeeding.stream().map(id -> event(id, SUCCEEDED, 1, Instant.now()).build()).toArray(TaskEvent[]::new));

        // then every wait is answered: with the terminal state for those, the current one at the deadline for the rest
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        Duration all = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Integer> answers = new HashMap<>();
        List<Long> terminalLatencies = new ArrayList<>();
        for (int i = 0; i < waiting.size(); i++) {
            HttpResponse<String> answer = waiting.get(i).join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String state = JSON.readTree(answer.body()).path("state").asText();
            assertThat(state).isEqualTo(succeeding.contains(ids.get(i % ids.size())) ? "SUCCEEDED" : "RUNNING");
            answers.merge(state, 1, Integer::sum);
            if (state.equals("SUCCEEDED")) {
                terminalLatencies.add(Duration.ofNanos(answeredAt[i] - produced).toMillis());
            }
        }
        terminalLatencies.sort(null);
        System.out.printf("1,000 concurrent long-polls answered within %d ms: %s; the 500 on succeeding tasks %d ms (median) / %d ms (max)"
                + " after their 50 terminal events were produced%n", all.toMillis(), answers,
                terminalLatencies.get(terminalLatencies.size() / 2), terminalLatencies.getLast());
        assertThat(answers).containsEntry("SUCCEEDED", 500).containsEntry("RUNNING", 500);
    }

    @Test
    @Order(5)
    void givenTasksOfOneTypeThenStatsCountThemByStateOnEitherInstance() throws Exception {
        // given six tasks of a type of their own: three succeed, two run, one fails
        Instant t = Instant.now();
        for (int i = 0; i < 6; i++) {
            String id = newId();
            List<TaskEvent> sent = new ArrayList<>(List.of(event(id, QUEUED, 0, t).setType(STATS_TYPE).build(),
                    event(id, STARTED, 1, t).setType(STATS_TYPE).build()));
            if (i < 3) {
                sent.add(event(id, SUCCEEDED, 1, t).setType(STATS_TYPE).build());
            } else if (i == 5) {
                sent.add(event(id, FAILED, 1, t).setType(STATS_TYPE).setReason("NON_RETRYABLE").build());
            } else {
                statsRunning.add(id);
            }
            send(sent.toArray(TaskEvent[]::new));
        }

        // then each instance sums both instances' parts: QUEUED and RUNNING for each, and an end state for four
        awaitStats(Map.of("FAILED", 1, "RUNNING", 2, "SUCCEEDED", 3), 6 * 2 + 4);
    }

    @Test
    @Order(6)
    void givenTwoInstancesThenEachAnswersForTheOthersTasksAndARestartedOneAnswersAgainFromItsStore() throws Exception {
        // given twenty tasks, spread over both instances' partitions
        Instant t = Instant.now();
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> newId()).toList();
        send(ids.stream().map(id -> event(id, QUEUED, 0, t).build()).toArray(TaskEvent[]::new));
        Set<HostInfo> owners = new HashSet<>();
        for (String id : ids) {
            owners.add(ownerOf(id));
        }
        assertThat(owners).containsExactlyInAnyOrder(a.host(), b.host());

        // then each instance answers for every task, its own and the other's
        for (String id : ids) {
            for (Gateway gateway : List.of(a, b)) {
                assertThat(awaitStatus(gateway, id, s -> true).path("state").asText()).isEqualTo("QUEUED");
            }
        }

        // when one instance stops and comes back with the same name and state directory
        a.close();
        a = Gateway.start(a.instanceId(), a.stateDir());

        // then while it is not RUNNING it answers 503, never 404
        List<String> whileNotRunning = new ArrayList<>();
        List<Integer> allAnswers = new ArrayList<>();
        int round = 0;
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (a.view().state() != KafkaStreams.State.RUNNING && System.nanoTime() < giveUp) {
            long runningBefore = a.view().timesRunning();
            KafkaStreams.State before = a.view().state();
            HttpResponse<String> answer = get(a, "/tasks/" + ids.get(round++ % ids.size()));
            KafkaStreams.State after = a.view().state();
            allAnswers.add(answer.statusCode());
            if (before != KafkaStreams.State.RUNNING && after != KafkaStreams.State.RUNNING && a.view().timesRunning() == runningBefore) {
                whileNotRunning.add(answer.statusCode() + " " + answer.headers().firstValue("Retry-After").orElse("-"));
            }
        }
        System.out.printf("restarted instance: %d answers before it was RUNNING again, %d while not RUNNING throughout%n",
                allAnswers.size(), whileNotRunning.size());
        assertThat(whileNotRunning).isNotEmpty().allMatch(answer -> answer.equals("503 1"));
        assertThat(allAnswers).doesNotContain(404);

        // and once it runs it answers for every task again
        awaitRunning(a, b);
        for (String id : ids) {
            assertThat(awaitStatus(a, id, s -> true).path("state").asText()).isEqualTo("QUEUED");
        }
        assertThat(ids.stream().map(StatusViewIT::ownerOf)).contains(a.host());

        // and the aggregate goes on from its restored documents
        awaitStats(Map.of("FAILED", 1, "RUNNING", 2, "SUCCEEDED", 3), 6 * 2 + 4);
        send(event(statsRunning.getFirst(), SUCCEEDED, 1, Instant.now()).setType(STATS_TYPE).build());
        awaitStats(Map.of("FAILED", 1, "RUNNING", 1, "SUCCEEDED", 4), 6 * 2 + 5);
    }

    @Test
    @Order(7)
    void givenASubmissionThenItsLocationAnswersItsStatus() throws Exception {
        // when a task is submitted
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(b.app().url() + "/tasks"))
                .header("Authorization", KEY.authorization())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"echo\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then the answer names where its status is, and the gateway's own QUEUED event shows there
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("id").asText();
        assertThat(accepted.headers().firstValue("Location")).contains("/tasks/" + id);
        assertThat(awaitStatus(a, id, s -> true).path("type").asText()).isEqualTo("echo");
    }

    /** Waits until both instances' {@code /stats} count {@link #STATS_TYPE} so. */
    static void awaitStats(Map<String, Integer> byState, long transitions) {
        for (Gateway gateway : List.of(a, b)) {
            await().atMost(AWAIT).untilAsserted(() -> {
                HttpResponse<String> response = get(gateway, "/stats");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode stats = JSON.readTree(response.body());
                assertThat(stats.path("counts").path(STATS_TYPE)).isEqualTo(JSON.valueToTree(byState));
                assertThat(stats.path("totals").path("byType").path(STATS_TYPE).asLong())
                        .isEqualTo(byState.values().stream().mapToInt(Integer::intValue).sum());
                long counted = 0;
                for (JsonNode minute : stats.path("transitionsPerMinute").path(STATS_TYPE)) {
                    counted += minute.path("transitions").asLong();
                }
                assertThat(counted).isEqualTo(transitions);
            });
        }
    }

    static List<String> idsOwnedByEach() {
        String ofA = null;
        String ofB = null;
        while (ofA == null || ofB == null) {
            String id = newId();
            HostInfo owner = ownerOf(id);
            if (owner.equals(a.host()) && ofA == null) {
                ofA = id;
            } else if (owner.equals(b.host()) && ofB == null) {
                ofB = id;
            }
        }
        return List.of(ofA, ofB);
    }

    /** Requests parked at the instance, from its {@code /metrics}. */
    static long waiters(Gateway gateway) throws Exception {
        String metrics = get(gateway, "/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("conveyor_status_waiters "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim())).findFirst().orElseThrow();
    }

    static HostInfo ownerOf(String id) {
        return a.view().ownerOf(id).activeHost();
    }

    static void awaitRunning(Gateway... gateways) {
        await().atMost(Duration.ofSeconds(60)).until(() -> java.util.Arrays.stream(gateways)
                .allMatch(g -> g.view().state() == KafkaStreams.State.RUNNING));
    }

    static JsonNode awaitStatus(Gateway gateway, String id, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] status = new JsonNode[1];
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            HttpResponse<String> response = get(gateway, "/tasks/" + id);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            status[0] = JSON.readTree(response.body());
            assertThat(condition.test(status[0])).as(response.body()).isTrue();
        });
        return status[0];
    }

    static void send(TaskEvent... sent) {
        for (TaskEvent event : sent) {
            events.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getTaskId(), event));
        }
        events.flush();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static List<String> kinds(JsonNode doc) {
        List<String> kinds = new ArrayList<>();
        doc.path("timeline").forEach(entry -> kinds.add(entry.path("kind").asText()));
        return kinds;
    }

    static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return http.send(request(gateway, path), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(Gateway gateway, String path) {
        return http.sendAsync(request(gateway, path), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(Gateway gateway, String path) {
        return HttpRequest.newBuilder(URI.create(gateway.app().url() + path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", KEY.authorization()).GET().build();
    }

    static void assertProblem(HttpResponse<String> response, int status, String kind) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("type").asText()).isEqualTo("urn:conveyor:problem:" + kind);
    }
}
