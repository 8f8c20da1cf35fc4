package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.JavaApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof: a mixed run of 20,000 tasks (succeeding, failing once then succeeding, exhausting their attempts,
 * of an unknown type, delayed) with a processor killed (SIGKILL) and restarted during it. Every task ends in
 * the status view in the state its result says, with its result's attempt count and a timeline that tells
 * the story; no status watched during the run ever moves backwards.
 */
class StatusConvergenceIT {

    static final int TASKS = 20_000;
    static final int WATCHED = 200;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Order of states within one attempt: a status may only move to a later (attempt, state). */
    static final Map<String, Integer> RANK = Map.of("QUEUED", 0, "RUNNING", 1, "RETRYING", 2, "DEAD_LETTERED", 3,
            "SUCCEEDED", 4, "FAILED", 4, "CANCELLED", 4, "DUPLICATE", 4);

    @RegisterExtension
    static final Rig rig = new Rig();

    enum Kind {
        ECHO, FLAKY, EXHAUSTED, UNKNOWN, DELAYED;

        TaskSubmission submission(String run, int i) {
            String key = run + "-" + name().toLowerCase(java.util.Locale.ROOT) + "-" + i;
            return switch (this) {
                case ECHO -> new TaskSubmission("echo", key, "{\"i\":" + i + "}", null, Map.of(), null, null, null, null);
                case FLAKY -> new TaskSubmission("fail", key, "{\"failAttempts\":1}", null, Map.of(), null, null, null, null);
                case EXHAUSTED -> new TaskSubmission("fail", key, "{}", null, Map.of(), 2, null, null, null);
                case UNKNOWN -> new TaskSubmission("no.such.type", key, "{}", null, Map.of(), null, null, null, null);
                case DELAYED -> new TaskSubmission("echo", key, "{}", null, Map.of(), null, null, Instant.now().plusSeconds(3), null);
            };
        }

        static Kind of(int i) {
            int slot = i % 10;
            return slot < 5 ? ECHO : slot < 7 ? FLAKY : slot == 7 ? EXHAUSTED : slot == 8 ? UNKNOWN : DELAYED;
        }
    }

    @Test
    void everyStatusConvergesToItsResultAndNoneMovesBackwardsThroughAProcessorKill() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new HashMap<>(rig.env("status-gateway-" + run, DeliveryGuarantee.AT_LEAST_ONCE));
        env.put("HTTP_PORT", "0");
        // statuses of tasks the Java client wrote are the subject here, not authentication (AuthenticatedGatewayIT)
        env.put(AuthSettings.AUTH, AuthSettings.NO_AUTH);
        KafkaClients gatewayClients = KafkaClients.connect(new ClusterConfig(rig.stack.bootstrapServers(), rig.stack.registryUrl()));
        ProducerApp gateway = ProducerApp.build(ProducerApp.load(env), gatewayClients);
        List<JavaApp> processors = new ArrayList<>(List.of(rig.processor("conv-0", DeliveryGuarantee.AT_LEAST_ONCE),
                rig.processor("conv-1", DeliveryGuarantee.AT_LEAST_ONCE)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> backwards = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        try {
            // given 20,000 mixed tasks
            List<SubmittedTask> submitted = Submissions.submitAll(rig.tasks, TASKS, i -> Kind.of(i).submission(run, i));
            Map<String, Kind> kindOf = new HashMap<>();
            for (int i = 0; i < TASKS; i++) {
                kindOf.put(submitted.get(i).id(), Kind.of(i));
            }
            // watched while they run: each observed (attempts, state) must never be behind the one before
            List<String> watched = submitted.stream().map(SubmittedTask::id).limit(WATCHED).toList();
            CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> watch(http, gateway.url(), watched, watching, backwards),
                    runnable -> Thread.ofPlatform().name("status-watcher").start(runnable));

            // when a processor is killed once it has worked a while, and restarted under its name
            await().atMost(Duration.ofMinutes(1)).until(() -> rig.results(run).size() >= TASKS / 5);
            processors.get(0).kill();
            processors.set(0, rig.processor("conv-0", DeliveryGuarantee.AT_LEAST_ONCE));
            await().atMost(Duration.ofMinutes(4)).until(() -> Outcomes.of(rig.results(run)).covers(kindOf.keySet()));

            // then every status reaches its result's state and attempts
            Map<String, TaskResult> resultOf = rig.results(run).stream()
                    .collect(Collectors.toMap(TaskResult::getTaskId, Function.identity(), (a, b) -> a));
            Map<String, String> mismatches = new ConcurrentHashMap<>();
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                mismatches.clear();
                compareAll(http, gateway.url(), resultOf, mismatches);
                assertThat(mismatches).as("statuses that differ from their results").isEmpty();
            });
            watching.set(false);
            watcher.get();
            assertThat(backwards).as("statuses that moved backwards").isEmpty();

            // and the Java client waits for results through the view: finished ones at once, a new one when it finishes
            dev.conveyor.producer.TaskClient viewing = rig.tasks.withStatusView(URI.create(gateway.url()));
            for (Kind kind : Kind.values()) {
                String id = kindOf.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).findFirst().orElseThrow();
                TaskResult awaited = viewing.awaitResult(id, Duration.ofSeconds(30)).get();
                assertThat(awaited.getStatus()).as(kind.name()).isEqualTo(resultOf.get(id).getStatus());
                assertThat(awaited.getAttempts()).as(kind.name()).isEqualTo(resultOf.get(id).getAttempts());
            }
            String later = rig.tasks.submit(TaskSubmission.of("sleep", "{\"ms\":300}").withKey(run + "-later"), Duration.ofSeconds(10)).id();
            TaskResult laterResult = viewing.awaitResult(later, Duration.ofSeconds(30)).get();
            assertThat(laterResult.getStatus()).isEqualTo(dev.conveyor.schema.TaskStatus.SUCCEEDED);
            assertThat(laterResult.getOutput()).isNotNull();
            assertThat(viewing.status("0190f1c2-1a2b-7c3d-8e4f-0123456789ab").get()).as("never seen").isEmpty();

            // and each kind's timeline tells its story
            for (Kind kind : Kind.values()) {
                String id = kindOf.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).findFirst().orElseThrow();
                Set<String> kinds = timelineKinds(get(http, gateway.url(), id).body());
                assertThat(kinds).as(kind + " " + id).contains("QUEUED");
                switch (kind) {
                    case ECHO, DELAYED -> assertThat(kinds).contains("STARTED", "SUCCEEDED");
                    case FLAKY -> assertThat(kinds).contains("STARTED", "RETRY_SCHEDULED", "SUCCEEDED");
                    case EXHAUSTED -> assertThat(kinds).contains("STARTED", "RETRY_SCHEDULED", "DEAD_LETTERED", "FAILED");
                    case UNKNOWN -> assertThat(kinds).contains("DEAD_LETTERED", "FAILED");
                }
            }
        } finally {
            watching.set(false);
            processors.forEach(JavaApp::close);
            gateway.close();
            gatewayClients.close();
        }
    }

    private static void watch(HttpClient http, String url, List<String> ids, AtomicBoolean watching, List<String> backwards) {
        Map<String, int[]> last = new HashMap<>();
        while (watching.get()) {
            for (String id : ids) {
                HttpResponse<String> response = get(http, url, id);
                if (response.statusCode() != 200) {
                    continue;
                }
                JsonNode status = read(response.body());
                int[] now = {status.path("attempts").asInt(), RANK.getOrDefault(status.path("state").asText(), -1)};
                int[] before = last.put(id, now);
                if (before != null && (now[0] < before[0] || (now[0] == before[0] && now[1] < before[1]))) {
                    backwards.add(id + ": " + before[0] + "/" + before[1] + " -> " + now[0] + "/" + now[1]);
                }
            }
        }
    }

    private static void compareAll(HttpClient http, String url, Map<String, TaskResult> resultOf, Map<String, String> mismatches) {
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        java.util.concurrent.Semaphore concurrent = new java.util.concurrent.Semaphore(64);
        for (TaskResult result : resultOf.values()) {
            concurrent.acquireUninterruptibly();
            checks.add(http.sendAsync(request(url, result.getTaskId()), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        if (response.statusCode() != 200) {
                            mismatches.put(result.getTaskId(), "answered " + response.statusCode());
                            return;
                        }
                        JsonNode status = read(response.body());
                        String expected = result.getStatus().name() + "/" + result.getAttempts();
                        String actual = status.path("state").asText() + "/" + status.path("attempts").asInt();
                        if (!expected.equals(actual)) {
                            mismatches.put(result.getTaskId(), "view " + actual + ", result " + expected);
                        }
                    })
                    .whenComplete((ok, failure) -> concurrent.release()));
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
    }

    private static Set<String> timelineKinds(String body) {
        Set<String> kinds = new java.util.HashSet<>();
        read(body).path("timeline").forEach(event -> kinds.add(event.path("kind").asText()));
        return kinds;
    }

    private static HttpRequest request(String url, String id) {
        return HttpRequest.newBuilder(URI.create(url + "/tasks/" + id)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpResponse<String> get(HttpClient http, String url, String id) {
        try {
            return http.send(request(url, id), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
