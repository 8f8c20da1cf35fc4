package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.http.HttpSettings;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierAppConfig;
import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.auth.Scope;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.FreePorts;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof: the images the one Dockerfile makes run the pipeline. Every app's image is built, each app runs
 * in its container against the real broker and registry and reports healthy through the image's own
 * HEALTHCHECK; tasks submitted over the producer container's HTTP API and with the Java client run in two
 * processor containers under a 256 MiB memory limit and are delivered by the notifier container; one
 * processor is stopped with {@code podman stop} while 300 ms tasks run. No task is lost and none runs
 * twice, and the JVM's heap follows the container's limit. Skipped, saying why, where podman cannot
 * run containers.
 */
class ContainerImageIT {

    static final int TASKS = 1_200;
    static final int HTTP_TASKS = 30;
    static final String MEMORY_LIMIT = "256m";
    static final long MEMORY_LIMIT_MIB = 256;
    /** The Dockerfile's -XX:MaxRAMPercentage. */
    static final double HEAP_SHARE = 0.60;
    static final NewApiKey KEY = NewApiKey.generate("containers", EnumSet.of(Scope.SUBMIT), "*", 0);
    static final Pattern MAX_HEAP = Pattern.compile("max heap (\\d+) MiB");
    static final Pattern DRAINING = Pattern.compile("draining (\\d+) in-flight records");
    static final Pattern IN_FLIGHT = Pattern.compile("(?m)^conveyor_consumer_in_flight\\{[^}]*} ([0-9.E+]+)$");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Rig rig = new Rig();

    static final Path LOGS = Path.of("target", "container-logs");
    static final List<String> report = new ArrayList<>();
    static Podman podman;

    @Test
    void appContainersRunThePipelineAndAStoppedProcessorDrains() throws Exception {
        String unavailable = Podman.unavailable(Path.of("target"));
        Assumptions.assumeTrue(unavailable == null, () -> "container images not tested: " + unavailable);
        podman = new Podman(AppImages.ROOT);
        buildImages();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<AppContainer> containers = new ArrayList<>();
        try (TopicTail<TaskResult> results = new TopicTail<>(rig.clients, Topics.RESULTS, r -> r.getKey().startsWith(run));
             TopicTail<TaskEvent> events = new TopicTail<>(rig.clients, Topics.EVENTS, e -> e.getKey() != null && e.getKey().startsWith(run))) {
            long starting = System.nanoTime();
            int producerPort = FreePorts.next();
            containers.add(start(run, "producer-app", "producer", producerEnv(producerPort), null));
            containers.add(start(run, "notifier-app", "notifier", notifierEnv(run), null));
            int stoppedPort = FreePorts.next();
            AppContainer stopped = start(run, "processor-app", "processor-0", processorEnv("c0-" + run, stoppedPort), MEMORY_LIMIT);
            containers.add(stopped);
            AppContainer survivor = start(run, "processor-app", "processor-1", processorEnv("c1-" + run, FreePorts.next()), MEMORY_LIMIT);
            containers.add(survivor);
            containers.add(start(run, "console-app", "console", consoleEnv(producerPort), null));
            // four JVMs starting at once on two cores took 35-84 s, the most with other builds on the machine
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> containers.stream().allMatch(AppContainer::healthy));
            report.add(containers.size() + " app containers healthy " + seconds(starting) + " s after the first was started");
            assertThat(containers).as("user ids the apps run as").allSatisfy(c -> assertThat(c.user()).as(c.name()).isNotEqualTo("0"));

            // 300 ms of blocking work each, at most 16 at once per processor: the processor stopped a quarter
            // of the way through, while it has tasks in flight, must finish them before it leaves
            Set<String> ids = new HashSet<>(submitOverHttp(producerPort, run));
            List<SubmittedTask> submitted = Submissions.submitAll(rig.tasks, TASKS - HTTP_TASKS,
                    i -> TaskSubmission.of("sleep", "{\"ms\":300}").withKey(run + "-" + (i % 200)));
            ids.addAll(Outcomes.ids(submitted, SubmittedTask::id));

            await().atMost(Duration.ofMinutes(2)).until(() -> results.size() >= TASKS / 4 && inFlight(stoppedPort) > 0);
            int atStop = results.size();
            int exitCode = stopped.stop(Duration.ofSeconds(60));
            long drained = firstNumber(stopped, DRAINING);
            report.add("processor-0 told to stop at " + atStop + " of " + TASKS + " results with " + drained
                    + " records in flight, gone at " + results.size() + ", exit code " + exitCode);

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> delivered(events.values()).containsAll(ids));

            Outcomes outcomes = Outcomes.of(rig.results(run));
            assertThat(exitCode).as("exit code after podman stop (128 + SIGTERM)").isEqualTo(143);
            assertThat(drained).as("records in flight in the stopped processor, which it drained").isPositive();
            assertThat(outcomes.missing(ids)).as("lost tasks").isEmpty();
            assertThat(outcomes.resultsPerTask()).as("results per task").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(startsPerTask(events.values())).as("runs per task").containsOnlyKeys(ids)
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            for (AppContainer processor : List.of(stopped, survivor)) {
                assertThat(processor.oomKilled()).as(processor.name() + " killed for memory").isFalse();
                assertThat(firstNumber(processor, MAX_HEAP)).as(processor.name() + " max heap (MiB) under a " + MEMORY_LIMIT + " limit")
                        .isBetween((long) (MEMORY_LIMIT_MIB * (HEAP_SHARE - 0.1)), (long) (MEMORY_LIMIT_MIB * HEAP_SHARE));
            }
            assertThat(survivor.running()).as("the processor that took the load is still up").isTrue();
            assertThat(survivor.healthy()).as("and healthy").isTrue();
            report.add("max heap under " + MEMORY_LIMIT + ": " + firstNumber(survivor, MAX_HEAP) + " MiB; the container's peak memory: "
                    + survivor.peakMemoryMiB() + " MiB");
        } finally {
            containers.forEach(AppContainer::close);
            Files.createDirectories(Path.of("target", "fault-reports"));
            Files.write(Path.of("target", "fault-reports", "containers.txt"), report);
        }
    }

    private static void buildImages() {
        long started = System.nanoTime();
        String base = AppImages.base(podman);
        report.add("base image " + base + " ready in " + seconds(started) + " s");
        for (String app : AppImages.APPS) {
            long building = System.nanoTime();
            AppImages.build(podman, base, app);
            report.add(AppImages.tag(app) + " built in " + seconds(building) + " s");
        }
    }

    private static AppContainer start(String run, String app, String role, Map<String, String> env, String memory) {
        return AppContainer.start(podman, "conveyor-it-" + run + "-" + role, AppImages.tag(app), env, memory, LOGS);
    }

    private static Map<String, String> processorEnv(String instance, int httpPort) {
        Map<String, String> env = new HashMap<>(rig.env(instance, DeliveryGuarantee.AT_LEAST_ONCE));
        env.put(ConsumerSettings.MAX_CONCURRENCY, "16");
        env.put(HttpSettings.HTTP_PORT, Integer.toString(httpPort));
        return env;
    }

    private static Map<String, String> notifierEnv(String run) {
        Map<String, String> env = new HashMap<>(rig.env("n-" + run, DeliveryGuarantee.AT_LEAST_ONCE));
        env.put(NotifierAppConfig.GROUP_ID, "container-notifiers");
        env.put(NotifierAppConfig.CHANNELS, "log");
        env.put(HttpSettings.HTTP_PORT, Integer.toString(FreePorts.next()));
        return env;
    }

    private static Map<String, String> producerEnv(int port) {
        Map<String, String> env = new HashMap<>(rig.env("g-" + port, DeliveryGuarantee.AT_LEAST_ONCE));
        // the rig's state directory is a path of this machine: the container keeps its stores in its own file system
        env.remove(dev.conveyor.producer.status.StatusViewSettings.STATUS_STATE_DIR);
        env.put(AuthSettings.API_KEYS, KEY.line());
        env.put(HttpSettings.HTTP_PORT, Integer.toString(port));
        return env;
    }

    /** The console, asking the producer container's status view with the test's key, auditing inside its container. */
    private static Map<String, String> consoleEnv(int producerPort) {
        Map<String, String> env = new HashMap<>(rig.env("console", DeliveryGuarantee.AT_LEAST_ONCE));
        env.put(AuthSettings.API_KEYS, KEY.line());
        env.put(HttpSettings.HTTP_PORT, Integer.toString(FreePorts.next()));
        env.put("CONSOLE_GATEWAY_URL", "http://127.0.0.1:" + producerPort);
        env.put("CONSOLE_GATEWAY_API_KEY", KEY.key());
        env.put("AUDIT_LOG_FILE", "/tmp/conveyor-console-audit.log");
        return env;
    }

    /** Submits {@link #HTTP_TASKS} tasks to the producer container's {@code POST /tasks}; returns their ids. */
    private static List<String> submitOverHttp(int port, String run) throws Exception {
        List<String> ids = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < HTTP_TASKS; i++) {
                String body = JSON.writeValueAsString(Map.of("type", "sleep", "key", run + "-http-" + i, "payload", Map.of("ms", 300)));
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks"))
                        .header("Authorization", KEY.authorization()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                ids.add(JSON.readTree(response.body()).get("id").asText());
            }
        }
        return ids;
    }

    private static Set<String> delivered(List<TaskEvent> events) {
        return events.stream().filter(e -> e.getKind() == TaskEventKind.DELIVERED).map(TaskEvent::getTaskId).collect(Collectors.toSet());
    }

    private static Map<String, Long> startsPerTask(List<TaskEvent> events) {
        return events.stream().filter(e -> e.getKind() == TaskEventKind.STARTED)
                .collect(Collectors.groupingBy(TaskEvent::getTaskId, Collectors.counting()));
    }

    /** The number in the first line of the app's log that {@code pattern} matches: its max heap, what it drained. */
    private static long firstNumber(AppContainer container, Pattern pattern) {
        Matcher matcher = pattern.matcher(container.logs());
        assertThat(matcher.find()).as(container.name() + " logs " + pattern).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** The processor's {@code conveyor_consumer_in_flight} gauge: records taken from Kafka and not yet finished. */
    private static double inFlight(int httpPort) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = IN_FLIGHT.matcher(metrics);
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
        }
    }

    private static long seconds(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    }
}
