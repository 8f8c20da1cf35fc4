package dev.conveyor.bench;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.OrderingMode;
import dev.conveyor.bench.Scenario.Path;
import dev.conveyor.bench.Scenario.Profile;
import dev.conveyor.stack.BrokerHeap;
import dev.conveyor.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark: starts a broker and registry (or connects to yours), measures the raw
 * Kafka ceiling, then runs each scenario of the sweep through the real apps in this JVM and reports
 * throughput, its ratio to the ceiling, latency percentiles and per-instance shares.
 */
@Command(name = "conveyor-bench", mixinStandardHelpOptions = true,
        description = "Measures Conveyor end to end against the raw Kafka ceiling on the same broker.")
public final class Benchmark implements Callable<Integer> {

    @Option(names = "--tasks", description = "measured tasks of the main no-op scenarios (default: ${DEFAULT-VALUE})")
    int tasks = 100_000;

    @Option(names = "--quick", description = "a fifth of the tasks and a shorter paced run: a smoke test of the benchmark itself")
    boolean quick;

    @Option(names = "--only", split = ",", description = "run only these scenarios, in this order (names as in the table; may repeat)")
    List<String> only = List.of();

    @Option(names = "--bootstrap-servers", description = "use this Kafka instead of starting one")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "use this Apicurio Registry instead of starting one")
    String registryUrl;

    @Option(names = "--out", description = "where results.csv, results.json and results.png go (default: ${DEFAULT-VALUE})")
    java.nio.file.Path out = java.nio.file.Path.of("bench", "target", "bench-results");

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    /** The paced scenarios' target rate, at which the raw pipeline's latency is measured as their floor. */
    private static final int PACED_FLOOR_RATE = 5_000;

    /**
     * Runs of the raw ceiling before the scenarios and again after them; the fastest counts, since the
     * raw pipeline is bimodal on the benchmark machine (runs of one invocation several times apart, the
     * fast mode mostly after the scenarios).
     */
    private static final int CEILING_RUNS = 3;

    @Override
    public Integer call() throws Exception {
        int n = quick ? tasks / 5 : tasks;
        // a broker heap that grows mid-run pays the machine's first-touch faults inside the measurement
        LocalStack stack = bootstrapServers == null ? LocalStack.start(BrokerHeap.FIXED_PRE_TOUCHED) : null;
        ClusterConfig cluster = stack == null ? new ClusterConfig(bootstrapServers, registryUrl)
                : new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());
        try (KafkaClients admin = KafkaClients.connect(cluster); ConveyorRecords conveyorRecords = new ConveyorRecords(cluster)) {
            int recordBytes = TaskSize.serializedBytes(cluster);
            PlainBytes plainBytes = new PlainBytes(recordBytes);
            ProcessCpu processCpu = new ProcessCpu(stack == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(stack.broker().pid()));
            ScenarioRunner runner = new ScenarioRunner(cluster, admin, processCpu);
            warmUp(runner, n / 2);
            System.out.printf("measuring the raw Kafka ceiling with %d records of %d bytes, %d times ...%n", n * 2, recordBytes, CEILING_RUNS);
            // the plain clients' own code paths warm up in the first run; the fastest run, before or after
            // the scenarios, is the ceiling, so a slow run cannot flatter the ratios, and each run is
            // printed, so the spread shows
            CpuTime cpuBefore = CpuTime.now();
            RawCeiling.Result ceiling = fastestRelay("ceiling", admin, processCpu, null, n * 2, plainBytes);
            printCpu("ceiling runs", CpuTime.now().since(cpuBefore));
            System.out.printf("measuring the same relay with Conveyor's Avro records through the registry's serdes, %d times ...%n", CEILING_RUNS);
            RawCeiling.Result avroRelay = fastestRelay("Avro relay", admin, processCpu, null, n * 2, conveyorRecords);
            // the same two hops with nothing in between, at the paced scenarios' rate
            System.out.printf("measuring raw Kafka latency at a steady %,d records/s, after an unmeasured run ...%n", PACED_FLOOR_RATE);
            // twice as well: the steady trickle takes other branches than the flood, and the first run compiles them
            RawCeiling.measure(admin, processCpu, 12, PACED_FLOOR_RATE * 6, plainBytes, PACED_FLOOR_RATE);
            cpuBefore = CpuTime.now();
            RawCeiling.Result floor = RawCeiling.measure(admin, processCpu, 12, PACED_FLOOR_RATE * 12, plainBytes, PACED_FLOOR_RATE);
            printCpu("measured paced run", CpuTime.now().since(cpuBefore));
            List<Measurement> results = new ArrayList<>();
            for (Scenario scenario : selected(n)) {
                System.out.printf("running %s ...%n", scenario.name());
                try {
                    Measurement m = runner.run(scenario, ceiling.perSecond());
                    results.add(m);
                    System.out.printf(java.util.Locale.ROOT, "  %s: %,.0f tasks/s (%.2f × ceiling; steady %,.0f), p50 %.1f ms, p99 %.1f ms"
                                    + " (sent → handler started p50 %.0f / p99 %.0f ms, handler done → delivered p50 %.0f / p99 %.0f ms), shares %s,"
                                    + " CPU busy %.0f%%, steal %.0f%%, CPU per task %.1f µs here, %.1f µs broker%n",
                            scenario.name(), m.perSecond(), m.ceilingRatio(), m.steadyPerSecond(), m.p50Ms(), m.p99Ms(), m.hops().untilStartedP50Ms(),
                            m.hops().untilStartedP99Ms(), m.hops().afterCompletedP50Ms(), m.hops().afterCompletedP99Ms(), m.instanceShares(),
                            m.cpu().busy() * 100, m.cpu().steal() * 100, m.cpuPerTask().thisJvmMicros(), m.cpuPerTask().brokerMicros());
                } catch (RuntimeException e) {
                    // one broken configuration must not cost the rest of the sweep
                    System.out.printf("  %s FAILED: %s%n", scenario.name(), e.getMessage());
                }
            }
            System.out.printf("measuring the raw Kafka ceiling again after the scenarios, %d times ...%n", CEILING_RUNS);
            RawCeiling.Result fastest = fastestRelay("ceiling", admin, processCpu, ceiling, n * 2, plainBytes);
            if (fastest != ceiling) {
                System.out.printf(java.util.Locale.ROOT, "  the ceiling rose to %,.0f records/s: ratios below are to it%n", fastest.perSecond());
                ceiling = fastest;
                results = results.stream().map(m -> m.against(fastest.perSecond())).toList();
            }
            System.out.printf("measuring the Avro relay again after the scenarios, %d times ...%n", CEILING_RUNS);
            avroRelay = fastestRelay("Avro relay", admin, processCpu, avroRelay, n * 2, conveyorRecords);
            Report.print(System.out, ceiling, avroRelay, floor, PACED_FLOOR_RATE, results);
            Report.write(out, ceiling, avroRelay, floor, PACED_FLOOR_RATE, results, machine());
            System.out.println("wrote " + out.resolve("results.csv") + ", results.json and results.png");
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        return 0;
    }

    /**
     * Runs unmeasured rounds until the JIT compilers of this JVM and of the broker have caught up.
     * On two cores they compete with the load they compile for: throughput rose round after round for
     * three to four rounds of 50,000-100,000 tasks (e.g. 9,417 → 16,861 → 23,602 → 23,556 tasks/s), so
     * a fixed warm-up left the first scenarios measuring compilation, and the raw ceiling, measured
     * first, was taken on a cold broker (30,710 records/s then, 134,612 after the warm-up). Warm once
     * two rounds in a row are no longer clearly faster than the best before them: one round can dip.
     */
    private static void warmUp(ScenarioRunner runner, int tasksPerRound) throws Exception {
        Scenario round = new Scenario("jvm-warm-up", 12, 1, 256, OrderingMode.KEY, Profile.NOOP, Path.CLIENT, tasksPerRound, 0);
        WarmUp warmUp = new WarmUp();
        for (int i = 1; i <= WarmUp.MAX_ROUNDS; i++) {
            double rate;
            try {
                rate = runner.run(round, 1).perSecond();
            } catch (RuntimeException e) {
                // unmeasured anyway: the scenarios still run, on a JVM that is as warm as it got
                System.out.printf("  warm-up round %d FAILED: %s%n", i, e.getMessage());
                continue;
            }
            System.out.printf(java.util.Locale.ROOT, "  warm-up round %d: %,.0f tasks/s%n", i, rate);
            if (warmUp.isWarmAfter(rate)) {
                return;
            }
        }
        System.out.printf("  still speeding up after %d warm-up rounds: the first scenarios may read low%n", WarmUp.MAX_ROUNDS);
    }

    private static RawCeiling.Result fastestRelay(String name, KafkaClients admin, ProcessCpu processCpu, RawCeiling.Result sofar, int records,
            RelayedRecords codec) throws Exception {
        RawCeiling.Result fastest = sofar;
        for (int run = 1; run <= CEILING_RUNS; run++) {
            RawCeiling.Result result = RawCeiling.measure(admin, processCpu, 12, records, codec);
            System.out.printf(java.util.Locale.ROOT, "  %s run %d: %,.0f records/s, CPU per record %.1f µs here, %.1f µs broker%n", name, run,
                    result.perSecond(), result.cpuPerRecord().thisJvmMicros(), result.cpuPerRecord().brokerMicros());
            fastest = fastest == null ? result : RawCeiling.faster(fastest, result);
        }
        return fastest;
    }

    private static void printCpu(String what, CpuTime.Shares cpu) {
        System.out.printf(java.util.Locale.ROOT, "  %s: CPU busy %.0f%%, steal %.0f%%%n", what, cpu.busy() * 100, cpu.steal() * 100);
    }

    /** The whole sweep, or the {@code --only} scenarios in the order given (a name may repeat). */
    private List<Scenario> selected(int n) {
        List<Scenario> all = scenarios(n);
        if (only.isEmpty()) {
            return all;
        }
        return only.stream().map(name -> all.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new picocli.CommandLine.ParameterException(new CommandLine(this), "no scenario named " + name))).toList();
    }

    /** The sweep: partitions × instances × concurrency × ordering × handler profile × submission path. */
    static List<Scenario> scenarios(int n) {
        OrderingMode key = OrderingMode.KEY;
        Scenario sizedSlow = new Scenario("client-slow1pct-key-sized", 12, 1, 2048, key, Profile.SLOW_1PCT, Path.CLIENT, n * 12, 0, 16_384);
        Scenario sizedNoOp = new Scenario("client-noop-sized", 12, 1, 2048, key, Profile.NOOP, Path.CLIENT, n * 4, 0, 16_384);
        // partition order waits for each result's acknowledgement before the next task of the partition:
        // its scenarios use fewer tasks so the sweep stays short
        return List.of(
                new Scenario("client-noop-1x", 12, 1, 256, key, Profile.NOOP, Path.CLIENT, n, 0),
                new Scenario("client-noop-1x", 12, 1, 256, key, Profile.NOOP, Path.CLIENT, n, 0).withoutLifecycle("client-noop-1x-no-events"),
                new Scenario("client-noop-1x", 12, 1, 256, key, Profile.NOOP, Path.CLIENT, n, 0).withoutView("client-noop-1x-events-no-view"),
                new Scenario("client-noop-1x", 12, 1, 256, key, Profile.NOOP, Path.CLIENT, n, 0).withoutStarted("client-noop-1x-no-started"),
                new Scenario("client-noop-2x", 12, 2, 256, key, Profile.NOOP, Path.CLIENT, n, 0),
                new Scenario("client-noop-4x", 12, 4, 256, key, Profile.NOOP, Path.CLIENT, n, 0),
                new Scenario("client-noop-3p", 3, 1, 256, key, Profile.NOOP, Path.CLIENT, n, 0),
                new Scenario("client-noop-unordered", 12, 1, 256, OrderingMode.UNORDERED, Profile.NOOP, Path.CLIENT, n, 0),
                new Scenario("client-noop-partition", 12, 1, 256, OrderingMode.PARTITION, Profile.NOOP, Path.CLIENT, n / 10, 0),
                new Scenario("client-sleep10-c16", 12, 1, 16, key, Profile.SLEEP_10MS, Path.CLIENT, n / 10, 0),
                new Scenario("client-sleep10-c256", 12, 1, 256, key, Profile.SLEEP_10MS, Path.CLIENT, n / 2, 0),
                // the last slow tasks end a second after the last submission: over 100,000 tasks (~3 s) that tail
                // alone took a quarter off the rate, so these run four times as long to measure the steady state
                new Scenario("client-slow1pct-key", 12, 1, 256, key, Profile.SLOW_1PCT, Path.CLIENT, n * 4, 0),
                // 1% of ~25k tasks/s sleeping 1 s occupy ~250 handlers on their own (Little's law): the same with room for them
                new Scenario("client-slow1pct-key-c1024", 12, 1, 1024, key, Profile.SLOW_1PCT, Path.CLIENT, n * 4, 0),
                // sized for ~100k tasks/s (Little's law): 1% sleeping 1 s hold ~1,000 handlers, and each holds back the
                // ~10 later tasks of its key for its second, ~5,000-10,000 records in flight on top. Each slow run
                // follows a no-op run with the same limits (four times the tasks: measured over more than a second)
                // and is compared with it as well as with the fastest no-op run, three pairs (SlowTaskPair). Twelve times the tasks: its last slow tasks end a second after the rest,
                // which over 400,000 tasks (~5 s) took a sixth off the whole-run rate
                sizedNoOp, sizedSlow, sizedNoOp, sizedSlow, sizedNoOp, sizedSlow,
                new Scenario("client-slow1pct-partition", 12, 1, 256, OrderingMode.PARTITION, Profile.SLOW_1PCT, Path.CLIENT, n / 10, 0),
                new Scenario("http-single", 12, 1, 256, key, Profile.NOOP, Path.HTTP, n / 5, 0),
                new Scenario("http-batch", 12, 1, 256, key, Profile.NOOP, Path.HTTP_BATCH, n, 0),
                new Scenario("paced-1000", 12, 1, 256, key, Profile.NOOP, Path.PACED, n / 5, 1_000),
                new Scenario("paced-5000", 12, 1, 256, key, Profile.NOOP, Path.PACED, n, 5_000),
                // fewer partitions, fewer and fuller produce and fetch requests for the same tasks
                new Scenario("paced-5000-3p", 3, 1, 256, key, Profile.NOOP, Path.PACED, n, 5_000));
    }

    private static Map<String, String> machine() throws IOException {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> machine.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
        }
        java.nio.file.Path meminfo = java.nio.file.Path.of("/proc/meminfo");
        if (Files.exists(meminfo)) {
            Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .ifPresent(l -> machine.put("memory", l.substring(l.indexOf(':') + 1).trim()));
        }
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max");
        return machine;
    }
}
