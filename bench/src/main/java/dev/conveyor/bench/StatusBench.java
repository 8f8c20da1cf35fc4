package dev.conveyor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskClient;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.BrokerHeap;
import dev.conveyor.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The status view's benchmark: runs the pipeline with the view in this JVM, then measures
 * {@code GET /tasks/{id}} latency at a fixed rate of lookups from {@code wrk} (a real HTTP load
 * generator, driven by a Lua script that paces each connection and picks a random known id), and how
 * soon a long-poll ({@code GET /tasks/{id}?wait=}) is answered after its task's terminal event was
 * written to {@code tasks.events}.
 */
@Command(name = "conveyor-status-bench", mixinStandardHelpOptions = true,
        description = "Measures the status view: lookups/s latency with wrk, and long-poll wake-up latency.")
public final class StatusBench implements Callable<Integer> {

    @Option(names = "--tasks", description = "tasks run first, whose ids are looked up (default: ${DEFAULT-VALUE})")
    int tasks = 20_000;

    @Option(names = "--rate", description = "lookups per second wrk aims at (default: ${DEFAULT-VALUE})")
    int rate = 2_000;

    @Option(names = "--seconds", description = "how long wrk runs (default: ${DEFAULT-VALUE})")
    int seconds = 30;

    @Option(names = "--waits", description = "long-polls measured (default: ${DEFAULT-VALUE})")
    int waits = 300;

    static final int CONNECTIONS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(new CommandLine(new StatusBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LocalStack stack = LocalStack.start(BrokerHeap.FIXED_PRE_TOUCHED);
        ClusterConfig cluster = new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", cluster.schemaRegistryUrl());
        env.put("HTTP_PORT", "0");
        env.put("STATUS_APPLICATION_ID", "bench-status-" + run);
        env.put("WEBHOOK_SIGNING", "none");
        // its tasks are written straight to Kafka, without a submitter: the view's latency is measured, not authentication
        env.put(AuthSettings.AUTH, AuthSettings.NO_AUTH);
        List<KafkaClients> clients = new ArrayList<>();
        List<AutoCloseable> apps = new ArrayList<>();
        try {
            ProcessorApp processor = ProcessorApp.build(ProcessorApp.load(env), connect(cluster, clients),
                    new HandlerRegistry(Map.of(BenchHandler.TYPE, BenchHandler.create())));
            apps.add(processor);
            apps.add(NotifierApp.build(NotifierApp.load(env), connect(cluster, clients), List.of()));
            ProducerApp gateway = ProducerApp.build(ProducerApp.load(env), connect(cluster, clients));
            apps.add(gateway);
            KafkaClients clientSide = connect(cluster, clients);
            Producer<String, TaskRequest> producer = clientSide.producer("status-bench", Map.of());
            apps.add(producer);
            TaskClient client = new TaskClient(producer, 64 * 1024, Clock.systemUTC(), clientSide.meters());

            System.out.printf("running %,d tasks and waiting until the view has every one ...%n", tasks);
            List<String> ids = submitAll(client, tasks, 0);
            HttpClient http = HttpClient.newHttpClient();
            awaitFinished(http, gateway.url(), ids.get(ids.size() - 1), Duration.ofMinutes(5));
            awaitFinished(http, gateway.url(), ids.get(0), Duration.ofMinutes(1));

            System.out.printf("GET /tasks/{id} at %,d lookups/s from wrk (%d connections, %d s, after a %d s warm-up) ...%n",
                    rate, CONNECTIONS, seconds, Math.max(5, seconds / 3));
            Path script = lookupScript(ids);
            wrk(gateway.url(), script, Math.max(5, seconds / 3));
            String report = wrk(gateway.url(), script, seconds);
            System.out.println(report);
            System.out.println(summary(report));

            System.out.printf("long-poll wake-up over %d tasks of 300 ms ...%n", waits);
            wakeUps(http, gateway.url(), client, clientSide);
        } finally {
            for (int i = apps.size() - 1; i >= 0; i--) {
                apps.get(i).close();
            }
            clients.forEach(KafkaClients::close);
            stack.close();
        }
        return 0;
    }

    /**
     * Parks one long-poll per task right after its submission, and measures from the task's terminal event
     * (its record timestamp on {@code tasks.events}, this machine's clock) to the answer.
     */
    private void wakeUps(HttpClient http, String url, TaskClient client, KafkaClients kafka) throws Exception {
        Histogram afterEvent = new Histogram(60_000_000L, 3);
        Map<String, Long> answeredAtMs = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<?>> polls = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < waits; i++) {
            String id = submitAll(client, 1, 300).get(0);
            ids.add(id);
            // the view must know the task before a wait on it parks: a wait on an unknown id is answered 404
            awaitKnown(http, url, id);
            HttpRequest wait = HttpRequest.newBuilder(URI.create(url + "/tasks/" + id + "?wait=10s")).timeout(Duration.ofSeconds(20)).GET().build();
            polls.add(http.sendAsync(wait, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                answeredAtMs.put(id, System.currentTimeMillis());
                if (!JSON_STATE.matcher(response.body()).find()) {
                    System.out.println("  a long-poll answered before its task finished: " + response.body());
                }
            }));
            // a few in flight at once, as callers would be
            if (polls.size() % 20 == 0) {
                CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            }
        }
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        Map<String, Long> terminalWrittenMs = terminalEvents(kafka, new java.util.HashSet<>(ids));
        for (String id : ids) {
            Long written = terminalWrittenMs.get(id);
            Long answered = answeredAtMs.get(id);
            if (written != null && answered != null) {
                afterEvent.recordValue(Math.max(0, answered - written) * 1000);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "  terminal event written → long-poll answered: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d polls)%n",
                afterEvent.getValueAtPercentile(50) / 1000.0, afterEvent.getValueAtPercentile(99) / 1000.0,
                afterEvent.getMaxValue() / 1000.0, afterEvent.getTotalCount());
    }

    private static final Pattern JSON_STATE = Pattern.compile("\"state\"\\s*:\\s*\"SUCCEEDED\"");

    private static Map<String, Long> terminalEvents(KafkaClients kafka, java.util.Set<String> ids) {
        Map<String, Long> writtenAt = new HashMap<>();
        try (Deserializer<TaskEvent> decoder = kafka.valueDeserializer(Topics.EVENTS)) {
            TopicReader.read(kafka.cluster(), Topics.EVENTS.name()).forEach(record -> {
                TaskEvent event = decoder.deserialize(Topics.EVENTS.name(), record.value());
                if (event.getKind() == TaskEventKind.SUCCEEDED && ids.contains(event.getTaskId())) {
                    writtenAt.putIfAbsent(event.getTaskId(), record.timestamp());
                }
            });
        }
        return writtenAt;
    }

    private Path lookupScript(List<String> ids) throws IOException {
        // each connection waits between its requests so that all of them together aim at the rate
        long delayMs = Math.max(0, Math.round(CONNECTIONS * 1000.0 / rate) - 1);
        StringBuilder lua = new StringBuilder("ids = {");
        for (int i = 0; i < Math.min(ids.size(), 5_000); i++) {
            lua.append('"').append(ids.get(i)).append("\",");
        }
        lua.append("}\nmath.randomseed(42)\n")
                .append("request = function() return wrk.format(\"GET\", \"/tasks/\" .. ids[math.random(#ids)]) end\n")
                .append("delay = function() return ").append(delayMs).append(" end\n")
                .append("response = function(status, headers, body) if status ~= 200 then errors = (errors or 0) + 1 end end\n");
        Path script = Files.createTempFile("status-lookups", ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        return script;
    }

    private static String wrk(String url, Path script, int durationSeconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + CONNECTIONS, "-d" + durationSeconds + "s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (install it: apt-get install wrk): " + out);
        }
        return out;
    }

    /** wrk's figures that matter here, on one line. */
    static String summary(String report) {
        return String.format("  GET /tasks/{id}: %s lookups/s, p50 %s, p99 %s, non-2xx %s",
                find(report, "Requests/sec:\\s+([\\d.]+)"), find(report, "\\s50%\\s+(\\S+)"), find(report, "\\s99%\\s+(\\S+)"),
                find(report, "Non-2xx or 3xx responses:\\s+(\\d+)", "0"));
    }

    private static String find(String text, String regex) {
        return find(text, regex, "?");
    }

    private static String find(String text, String regex, String otherwise) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    private static List<String> submitAll(TaskClient client, int count, int sleepMs) {
        List<CompletableFuture<SubmittedTask>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, String> headers = sleepMs > 0 ? Map.of(BenchHandler.SLEEP_MS, Integer.toString(sleepMs)) : Map.of();
            pending.add(client.submitAsync(new TaskSubmission(BenchHandler.TYPE, null, "{}", null, headers, null, null, null, null)));
        }
        return pending.stream().map(CompletableFuture::join).map(SubmittedTask::id).toList();
    }

    private static void awaitKnown(HttpClient http, String url, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (http.send(HttpRequest.newBuilder(URI.create(url + "/tasks/" + id)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        throw new IllegalStateException("the view did not learn of task " + id + " within 30 s");
    }

    private static void awaitFinished(HttpClient http, String url, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/tasks/" + id + "?wait=10s")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode status = JSON.readTree(response.body());
                if ("SUCCEEDED".equals(status.path("state").asText())) {
                    return;
                }
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        throw new IllegalStateException("task " + id + " did not finish in the view within " + timeout);
    }

    private static KafkaClients connect(ClusterConfig cluster, List<KafkaClients> all) {
        KafkaClients clients = KafkaClients.connect(cluster);
        all.add(clients);
        return clients;
    }
}
