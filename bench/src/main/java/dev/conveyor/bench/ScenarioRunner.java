package dev.conveyor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.Env;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.events.EventSettings;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.producer.TaskClient;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.schema.TaskRequest;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Scenario}: fresh topics with its partition count, its processors, a notifier whose
 * only channel is the {@link LatencyChannel}, a warm-up, then the measured tasks.
 */
final class ScenarioRunner {

    /** The key the HTTP scenarios submit with. */
    static final NewApiKey KEY = NewApiKey.generate("bench", EnumSet.of(Scope.SUBMIT), "*", 0);

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int KEYS = 10_007;
    private static final int WINDOW = 20_000;
    private static final int PACED_WARM_UP_SECONDS = 5;

    private final ClusterConfig cluster;
    private final ProcessCpu processCpu;
    private final KafkaClients admin;

    ScenarioRunner(ClusterConfig cluster, KafkaClients admin, ProcessCpu processCpu) {
        this.processCpu = processCpu;
        this.cluster = cluster;
        this.admin = admin;
    }

    Measurement run(Scenario scenario, double ceiling) throws Exception {
        resetTopics();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = env(scenario, run);
        List<KafkaClients> allClients = new ArrayList<>();
        List<ProcessorApp> processors = new ArrayList<>();
        LatencyChannel channel = new LatencyChannel(scenario.tasks());
        NotifierApp notifier = null;
        ProducerApp gateway = null;
        Producer<String, TaskRequest> producer = null;
        try {
            for (int i = 0; i < scenario.processors(); i++) {
                KafkaClients clients = connect(allClients);
                processors.add(ProcessorApp.build(ProcessorApp.load(env), clients,
                        new HandlerRegistry(Map.of(BenchHandler.TYPE, BenchHandler.create()))));
            }
            awaitEvenSplit(processors, scenario.partitions(), Duration.ofMinutes(1));
            notifier = NotifierApp.build(NotifierApp.load(env), connect(allClients), List.of(channel));
            KafkaClients clientSide = connect(allClients);
            producer = clientSide.producer("bench-client", Map.of());
            TaskClient client = new TaskClient(producer, 64 * 1024, Clock.systemUTC(), clientSide.meters(), RetrySettings.defaults(),
                    scenario.lifecycle() ? new TaskEvents(EventSettings.defaults(), "bench-client", Clock.systemUTC()) : TaskEvents.off());
            // with lifecycle events on, a gateway runs the status view that folds them, whatever the submission path
            if (scenario.view() || scenario.path() == Scenario.Path.HTTP || scenario.path() == Scenario.Path.HTTP_BATCH) {
                gateway = ProducerApp.build(ProducerApp.load(env), connect(allClients));
            }

            int warmUp;
            int refusedInWarmUp;
            if (scenario.path() == Scenario.Path.PACED) {
                // a steady trickle runs other branches of the clients and the broker than a flood does, and the JIT
                // recompiled them during the measured part after a flat-out warm-up: warm up at the measured pace
                warmUp = scenario.rate() * PACED_WARM_UP_SECONDS;
                refusedInWarmUp = submitPaced(client, scenario, warmUp);
            } else if (gateway != null) {
                // the gateway's request path is compiled while it serves: warmed up through the Java client, the
                // JIT compiled it during the measured part (C2 took a quarter of the machine in an HTTP run)
                warmUp = Math.max(2_000, scenario.tasks() / 2);
                submitOverHttp(gateway.url(), scenario, scenario.path() == Scenario.Path.HTTP_BATCH, warmUp);
                refusedInWarmUp = 0;
            } else {
                warmUp = Math.max(2_000, scenario.partitions() * 100);
                refusedInWarmUp = submitWithClient(client, scenario, warmUp);
            }
            try {
                awaitDelivered(channel, warmUp - refusedInWarmUp, Duration.ofMinutes(1));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; processors ran " + processed(allClients, scenario.processors())
                        + "; in flight " + processors.stream().map(p -> p.consumer().inFlight()).toList(), e);
            }
            channel.takeMicros();
            channel.takeUntilStartedMicros();
            channel.takeAfterCompletedMicros();
            channel.reset();
            List<Double> before = processed(allClients, scenario.processors());

            CpuTime cpuBefore = CpuTime.now();
            CpuPerItem.Sample processesBefore = processCpu.now();
            ThreadCpu threadsBefore = ThreadCpu.now();
            long started = System.nanoTime();
            switch (scenario.path()) {
                case CLIENT -> refuseRefusals(submitWithClient(client, scenario, scenario.tasks()));
                case PACED -> refuseRefusals(submitPaced(client, scenario, scenario.tasks()));
                case HTTP -> submitOverHttp(gateway.url(), scenario, false, scenario.tasks());
                case HTTP_BATCH -> submitOverHttp(gateway.url(), scenario, true, scenario.tasks());
            }
            awaitDelivered(channel, scenario.tasks(), Duration.ofSeconds(120 + scenario.tasks() / 200));
            CpuTime.Shares cpu = CpuTime.now().since(cpuBefore);
            CpuPerItem cpuPerTask = CpuPerItem.between(processesBefore, processCpu.now(), scenario.tasks());
            printThreadCpu(scenario, ThreadCpu.now().microsPerItemSince(threadsBefore, scenario.tasks()));
            double seconds = (channel.lastDeliveryNanos() - started) / 1e9;
            List<Double> after = processed(allClients, scenario.processors());
            double total = 0;
            List<Double> ran = new ArrayList<>();
            for (int i = 0; i < after.size(); i++) {
                ran.add(after.get(i) - before.get(i));
                total += after.get(i) - before.get(i);
            }
            double sum = total;
            List<Double> shares = ran.stream().map(r -> sum == 0 ? 0 : r / sum).toList();
            double perSecond = scenario.tasks() / seconds;
            Measurement.Hops hops = new Measurement.Hops(channel.takeUntilStartedMicros(), channel.takeAfterCompletedMicros());
            return new Measurement(scenario, perSecond, channel.steadyPerSecond(), channel.takeMicros(), hops, shares, perSecond / ceiling, cpu,
                    cpuPerTask);
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (producer != null) {
                producer.close();
            }
            processors.forEach(ProcessorApp::close);
            if (notifier != null) {
                notifier.close();
            }
            allClients.forEach(KafkaClients::close);
        }
    }

    /** Where this JVM's CPU went, by kind of thread: the kinds that took at least half a microsecond per task. */
    private static void printThreadCpu(Scenario scenario, Map<String, Double> microsPerTask) {
        StringBuilder line = new StringBuilder(scenario.name()).append(": CPU µs per task by thread:");
        microsPerTask.forEach((kind, micros) -> {
            if (micros >= 0.5) {
                line.append(String.format(" [%s] %.1f;", kind, micros));
            }
        });
        System.out.println(line);
    }

    private KafkaClients connect(List<KafkaClients> all) {
        KafkaClients clients = KafkaClients.connect(cluster);
        all.add(clients);
        return clients;
    }

    private Map<String, String> env(Scenario scenario, String run) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", cluster.schemaRegistryUrl());
        env.put("HTTP_PORT", "0");
        env.put("TASKS_PARTITIONS", Integer.toString(scenario.partitions()));
        env.put("RESULTS_PARTITIONS", Integer.toString(scenario.partitions()));
        env.put("PROCESSOR_GROUP_ID", "bench-processor-" + run);
        env.put("NOTIFIER_GROUP_ID", "bench-notifier-" + run);
        // MAX_IN_FLIGHT and MAX_IN_FLIGHT_PER_PARTITION stay at their defaults unless the scenario sizes them
        env.put("MAX_CONCURRENCY", Integer.toString(scenario.concurrency()));
        if (scenario.maxInFlight() > 0) {
            env.put("MAX_IN_FLIGHT", Integer.toString(scenario.maxInFlight()));
            // an eighth of the instance's limit: with 12 partitions filled unevenly, none pauses long before the instance does
            env.put("MAX_IN_FLIGHT_PER_PARTITION",
                    Integer.toString(Math.max(ConsumerSettings.DEFAULT_MAX_IN_FLIGHT_PER_PARTITION, scenario.maxInFlight() / 8)));
        }
        env.put("ORDERING", scenario.ordering().name().toLowerCase(java.util.Locale.ROOT));
        env.put("MAX_PENDING_SUBMISSIONS", "50000");
        env.put("TASK_EVENTS", Boolean.toString(scenario.lifecycle()));
        env.put("STATUS_VIEW", Boolean.toString(scenario.view()));
        env.put("TASK_EVENTS_STARTED", Boolean.toString(scenario.started()));
        env.put("STATUS_APPLICATION_ID", "bench-status-" + run);
        // no webhooks here: the notifier delivers to the benchmark's own channel
        env.put("WEBHOOK_SIGNING", "none");
        // the gateway authenticates as it does by default, so an HTTP run measures that too
        env.put(AuthSettings.API_KEYS, KEY.line());
        return env;
    }

    private static TaskSubmission task(Scenario scenario, int i, long t0) {
        Map<String, String> headers = new HashMap<>();
        headers.put(LatencyChannel.T0, Long.toString(t0));
        long sleep = scenario.profile() == Scenario.Profile.SLOW_1PCT ? (i % 100 == 50 ? scenario.profile().slowMs : 0)
                : scenario.profile().sleepMs;
        if (sleep > 0) {
            headers.put(BenchHandler.SLEEP_MS, Long.toString(sleep));
        }
        return new TaskSubmission(BenchHandler.TYPE, "k-" + (i % KEYS), "{}", null, headers, null, null, null, null);
    }

    /** A measured run whose submissions Kafka refused would wait for results that never come. */
    private static void refuseRefusals(int refused) {
        if (refused > 0) {
            throw new IllegalStateException(refused + " measured submissions were refused by Kafka");
        }
    }

    /** Returns how many submissions Kafka refused: those tasks will never be delivered. */
    private static int submitWithClient(TaskClient client, Scenario scenario, int count) {
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger refused = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            client.submitAsync(task(scenario, i, System.nanoTime())).whenComplete((t, e) -> {
                if (e != null && refused.getAndIncrement() == 0) {
                    LOG.warn("a submission failed: {}", e.toString());
                }
                window.release();
            });
        }
        window.acquireUninterruptibly(WINDOW);
        return refused.get();
    }

    /**
     * Sends on a fixed schedule; each task's latency counts from when it should have been sent, so stalls
     * count. Returns how many submissions Kafka refused, once every one is answered.
     */
    private static int submitPaced(TaskClient client, Scenario scenario, int count) {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / scenario.rate();
        List<CompletableFuture<?>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            sent.add(client.submitAsync(task(scenario, i, intended)));
        }
        int refused = 0;
        for (CompletableFuture<?> submission : sent) {
            if (submission.handle((t, e) -> e != null).join()) {
                refused++;
            }
        }
        return refused;
    }

    private static void submitOverHttp(String url, Scenario scenario, boolean batched, int count) throws Exception {
        int perRequest = batched ? 500 : 1;
        int callers = batched ? 4 : 64;
        AtomicInteger next = new AtomicInteger();
        try (HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                running.add(pool.submit(() -> {
                    for (int from = next.getAndAdd(perRequest); from < count; from = next.getAndAdd(perRequest)) {
                        List<Map<String, Object>> tasks = new ArrayList<>();
                        for (int i = from; i < Math.min(from + perRequest, count); i++) {
                            TaskSubmission t = task(scenario, i, System.nanoTime());
                            Map<String, Object> json = new LinkedHashMap<>();
                            json.put("type", t.type());
                            json.put("key", t.key());
                            json.put("headers", t.headers());
                            tasks.add(json);
                        }
                        String body = JSON.writeValueAsString(batched ? tasks : tasks.get(0));
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + (batched ? "/tasks/batch" : "/tasks")))
                                .header("Authorization", KEY.authorization()).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() / 100 != 2) {
                            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> caller : running) {
                caller.get();
            }
        }
    }

    /**
     * Waits until the processors split the partitions of {@code tasks} evenly (each owns partitions /
     * instances of them, one more for some where it does not divide). A joining instance takes its
     * partitions only once the others have given them up: a run measured before that measures the group
     * forming, not how it shares the load.
     */
    private static void awaitEvenSplit(List<ProcessorApp> processors, int partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int fair = partitions / processors.size();
        int most = partitions % processors.size() == 0 ? fair : fair + 1;
        while (true) {
            List<Long> owned = processors.stream().map(p -> p.consumer().assignment().stream()
                    .filter(partition -> partition.topic().equals(Topics.TASKS.name())).count()).toList();
            if (owned.stream().mapToLong(Long::longValue).sum() == partitions && owned.stream().allMatch(n -> n >= fair && n <= most)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the processors own " + owned + " of the " + partitions + " partitions of "
                        + Topics.TASKS.name() + " after " + timeout);
            }
            // a benchmark driver polling the group's state: no event to wait on
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void awaitDelivered(LatencyChannel channel, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (channel.delivered() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + channel.delivered() + " of " + count + " results delivered within " + timeout);
            }
            // a benchmark driver polling a counter: no event to wait on
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Tasks each processor instance ran so far (the first {@code processors} clients are theirs). */
    private static List<Double> processed(List<KafkaClients> clients, int processors) {
        List<Double> counts = new ArrayList<>();
        for (int i = 0; i < processors; i++) {
            counts.add(clients.get(i).meters().find(MetricNames.TASKS_PROCESSED).counters().stream().mapToDouble(Counter::count).sum());
        }
        return counts;
    }

    /** Deletes every Conveyor topic, so the next scenario creates them with its partition count. */
    private void resetTopics() throws Exception {
        Set<String> ours = admin.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith("tasks") || name.startsWith("bench-status-")).collect(Collectors.toSet());
        if (ours.isEmpty()) {
            return;
        }
        admin.admin().deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream().anyMatch(ours::contains)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + ours + " were not deleted within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        LOG.debug("deleted {}", ours);
    }
}
