package dev.conveyor.faults;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.processor.ProcessorAppConfig;
import dev.conveyor.producer.TaskClient;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.JavaApp;
import dev.conveyor.stack.LocalStack;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every fault test shares: the module's broker and registry, a task client, and processors
 * started as separate JVMs of one consumer group (so each test resumes where the previous left off
 * instead of re-reading every earlier test's tasks). Register it with {@code @RegisterExtension}; it
 * closes its clients after the test class.
 */
final class Rig implements AfterAllCallback {

    static final String GROUP = "fault-processors";
    static final int PARTITIONS = 6;
    /** Short tiers: the proofs are about correctness, not about waiting. */
    static final String TIERS = "1s,2s";
    static final int MAX_IN_FLIGHT = 64;
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    final LocalStack stack;
    final KafkaClients clients;
    final Producer<String, TaskRequest> producer;
    final TaskClient tasks;
    final Path logs = Path.of("target", "fault-logs");
    /**
     * Where this run's gateways keep their status stores: a store an earlier run left under the same
     * {@code INSTANCE_ID} was folded against another broker and registry, and would be read as this one's.
     */
    static final Path STATUS_STATE = Path.of("target", "status-state", java.util.UUID.randomUUID().toString());
    private final boolean ownsStack;

    /** On the module's shared single-broker stack. */
    Rig() {
        this(LocalStack.shared(), false);
    }

    private Rig(LocalStack stack, boolean ownsStack) {
        this.stack = stack;
        this.ownsStack = ownsStack;
        this.clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        this.producer = clients.producer("fault-tests", Map.of());
        this.tasks = new TaskClient(producer, 64 * 1024, Clock.systemUTC(), clients.meters(),
                RetrySettings.load(dev.conveyor.Env.of(Map.of(RetrySettings.RETRY_TIERS, TIERS))));
        // the topics every test writes to exist before any processor starts, whichever test runs first
        List<dev.conveyor.kafka.TopicDescriptor<?>> topics = new java.util.ArrayList<>(Topics.ALL);
        topics.addAll(RetrySettings.load(dev.conveyor.Env.of(Map.of(RetrySettings.RETRY_TIERS, TIERS))).tierTopics());
        new dev.conveyor.kafka.TopicProvisioner(clients.admin(),
                new TopicConfig(PARTITIONS, PARTITIONS, 1, stack.kafka().replicationFactor(), true)).ensure(topics);
    }

    /** On a stack of its own (such as a three-broker one), which it stops after the test class. */
    static Rig on(LocalStack stack) {
        return new Rig(stack, true);
    }

    Map<String, String> env(String instance, DeliveryGuarantee guarantee) {
        Map<String, String> env = new HashMap<>();
        env.put(ClusterConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        env.put(ClusterConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        env.put(TopicConfig.TASKS_PARTITIONS, Integer.toString(PARTITIONS));
        env.put(TopicConfig.RESULTS_PARTITIONS, Integer.toString(PARTITIONS));
        env.put(TopicConfig.REPLICATION_FACTOR, Short.toString(stack.kafka().replicationFactor()));
        env.put(ProcessorAppConfig.GROUP_ID, GROUP);
        env.put(RetrySettings.RETRY_TIERS, TIERS);
        env.put(ConsumerSettings.MAX_IN_FLIGHT, Integer.toString(MAX_IN_FLIGHT));
        env.put(ConsumerSettings.COMMIT_INTERVAL, COMMIT_INTERVAL.toMillis() + "ms");
        env.put(ConsumerSettings.DELIVERY_GUARANTEE, guarantee == DeliveryGuarantee.EXACTLY_ONCE ? "exactly-once" : "at-least-once");
        env.put(ConsumerSettings.INSTANCE_ID, instance);
        env.put(dev.conveyor.producer.status.StatusViewSettings.STATUS_STATE_DIR, STATUS_STATE.resolve(instance).toAbsolutePath().toString());
        return env;
    }

    /** A processor in its own JVM, healthy (consuming) when this returns. */
    JavaApp processor(String instance, DeliveryGuarantee guarantee) {
        return JavaApp.start("processor-" + instance, ProcessorApp.class, env(instance, guarantee), logs);
    }

    List<JavaApp> processors(int count, DeliveryGuarantee guarantee) {
        return java.util.stream.IntStream.range(0, count).parallel()
                .mapToObj(i -> processor("p" + i, guarantee)).toList();
    }

    /** Every result on tasks.results whose task key starts with {@code keyPrefix}, read to the end as of now. */
    List<TaskResult> results(String keyPrefix) {
        org.apache.kafka.common.serialization.Deserializer<TaskResult> decoder = clients.valueDeserializer(Topics.RESULTS);
        return TopicReader.read(stack.bootstrapServers(), Topics.RESULTS.name()).stream()
                .map(r -> decoder.deserialize(Topics.RESULTS.name(), r.headers(), r.value()))
                .filter(r -> r.getKey().startsWith(keyPrefix))
                .toList();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        producer.close();
        clients.close();
        if (ownsStack) {
            stack.close();
        }
    }
}
