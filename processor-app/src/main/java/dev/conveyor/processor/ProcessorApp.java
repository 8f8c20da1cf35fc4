package dev.conveyor.processor;

import dev.conveyor.http.AppServer;
import dev.conveyor.retry.DelayedTasks;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.Env;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.events.EventWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.metrics.QueueMetrics;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.TaskConsumer;
import dev.conveyor.kafka.SchemaRules;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The processor app: a consumer group on {@code tasks} running each task with its type's handler. */
public final class ProcessorApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorApp.class);

    private final TaskConsumer<TaskRequest> consumer;
    private final IdempotencyClaims claims;
    private final AttemptWatchdog watchdog;
    private final AppServer server;
    private final Producer<String, SpecificRecord> eventProducer;
    private final Optional<QueueMetrics> queueMetrics;

    private ProcessorApp(TaskConsumer<TaskRequest> consumer, IdempotencyClaims claims, AttemptWatchdog watchdog, AppServer server,
                         Producer<String, SpecificRecord> eventProducer, Optional<QueueMetrics> queueMetrics) {
        this.consumer = consumer;
        this.queueMetrics = queueMetrics;
        this.eventProducer = eventProducer;
        this.watchdog = watchdog;
        this.claims = claims;
        this.server = server;
    }

    public static ProcessorAppConfig load(Map<String, String> env) {
        return ProcessorAppConfig.load(Env.of(env));
    }

    /** Builds and starts the processor with the handlers found on the class path. */
    public static ProcessorApp build(ProcessorAppConfig config, KafkaClients clients, HandlerRegistry handlers) {
        Clock clock = Clock.systemUTC();
        List<TopicDescriptor<TaskRequest>> inputs = new ArrayList<>();
        inputs.add(Topics.TASKS);
        inputs.addAll(config.retry().tierTopics());
        List<TopicDescriptor<?>> all = new ArrayList<>(inputs);
        all.addAll(List.of(Topics.RESULTS, Topics.DEAD_LETTERS, Topics.IDEMPOTENCY, Topics.EVENTS));
        AtomicReference<TaskConsumer<TaskRequest>> started = new AtomicReference<>();
        HealthCheck health = new HealthCheck(clients, clock).with("consumer", () -> started.get() != null && started.get().isJoined());
        CompletableFuture<AppServer> server = AppServer.startInBackground("processor-app", config.http(), health, clients.meters(),
                routes -> { });
        // the idempotency view needs no topic to be created first: its consumer is built while topics are checked
        CompletableFuture<IdempotencyClaims> view = CompletableFuture.supplyAsync(() -> new IdempotencyClaims(clients, clock),
                task -> Thread.ofPlatform().name("processor-app-claims-start").start(task));
        try {
            new TopicProvisioner(clients.admin(), config.topics()).ensure(all);
            if (config.topics().createTopics()) {
                new SchemaRules(clients.cluster()).ensureInBackground(all);
            }
            IdempotencyClaims claims = view.join();
            AttemptWatchdog watchdog = new AttemptWatchdog(config.groupId() + "-watchdog");
            TaskEvents events = new TaskEvents(config.events(), config.consumer().instanceId(), clock);
            // STARTED goes out as a handler starts, not in the record's transaction: a plain producer of its own
            Producer<String, SpecificRecord> eventProducer = clients.producer("conveyor-processor-events-" + config.consumer().instanceId(),
                    Map.of());
            EventWriter startedEvents = new EventWriter(eventProducer, clients.meters());
            TaskRunner runner = new TaskRunner(handlers, config.limits(), new DelayedTasks(config.retry(), clock), claims, watchdog,
                    clients.meters(), clock, events, startedEvents);
            // one consumer serves tasks and every delay tier: the consumer count does not grow with the tiers
            TaskConsumer<TaskRequest> consumer = new TaskConsumer<>(config.groupId(), inputs, config.consumer(),
                    RetryTiers.forTasks(config.retry()), clients, runner, clients.meters(), clock, events).start();
            started.set(consumer);
            // the group's figures: every instance exports the same (dashboards and alerts take max())
            Optional<QueueMetrics> queueMetrics = QueueMetrics.forGroup(config.queueMetrics(), clients, config.groupId(), inputs, clock);
            LOG.info("processor-app running handlers for {}", handlers.types());
            return new ProcessorApp(consumer, claims, watchdog, server.join(), eventProducer, queueMetrics);
        } catch (RuntimeException e) {
            AppServer.closeQuietly(server);
            view.thenAccept(IdempotencyClaims::close);
            throw e;
        }
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        ProcessorAppConfig config = load(env);
        KafkaClients clients = KafkaClients.connect(config.cluster());
        ProcessorApp app = build(config, clients, HandlerRegistry.discover(Env.of(env)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            clients.close();
        }, "processor-app-shutdown"));
    }

    public String url() {
        return server.url();
    }

    public TaskConsumer<TaskRequest> consumer() {
        return consumer;
    }

    /** Graceful: drains in-flight tasks, commits their outcomes, leaves the group. */
    @Override
    public void close() {
        queueMetrics.ifPresent(QueueMetrics::close);
        consumer.close();
        watchdog.close();
        claims.close();
        eventProducer.close(java.time.Duration.ofSeconds(5));
        server.close();
    }
}
