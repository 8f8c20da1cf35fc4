package dev.conveyor.notifier;

import dev.conveyor.http.AppServer;
import dev.conveyor.Env;
import dev.conveyor.NotificationChannel;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.metrics.QueueMetrics;
import dev.conveyor.TaskConsumer;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.SchemaRules;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The notifier app: a consumer group on {@code tasks.results} delivering every outcome through its channels. */
public final class NotifierApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierApp.class);

    private final TaskConsumer<TaskResult> consumer;
    private final List<NotificationChannel> channels;
    private final AppServer server;
    private final Optional<QueueMetrics> queueMetrics;

    private NotifierApp(TaskConsumer<TaskResult> consumer, List<NotificationChannel> channels, AppServer server,
                        Optional<QueueMetrics> queueMetrics) {
        this.consumer = consumer;
        this.queueMetrics = queueMetrics;
        this.channels = channels;
        this.server = server;
    }

    public static NotifierAppConfig load(Map<String, String> env) {
        return NotifierAppConfig.load(Env.of(env));
    }

    /** The channels named in {@code NOTIFIER_CHANNELS}, from the plugins on the class path, built from {@code env}. */
    public static List<NotificationChannel> channels(NotifierAppConfig config, Map<String, String> env) {
        return ChannelRegistry.discover(config.channels(), Env.of(env));
    }

    /** Builds and starts the notifier delivering through {@code channels}, which it closes when it stops. */
    public static NotifierApp build(NotifierAppConfig config, KafkaClients clients, List<NotificationChannel> channels) {
        Clock clock = Clock.systemUTC();
        List<TopicDescriptor<TaskResult>> inputs = new ArrayList<>();
        inputs.add(Topics.RESULTS);
        inputs.addAll(config.retry().tierTopics(Topics::resultRetryTier));
        List<TopicDescriptor<?>> all = new ArrayList<>(inputs);
        all.add(Topics.DEAD_LETTERS);
        all.add(Topics.EVENTS);
        AtomicReference<TaskConsumer<TaskResult>> started = new AtomicReference<>();
        HealthCheck health = new HealthCheck(clients, clock).with("consumer", () -> started.get() != null && started.get().isJoined());
        CompletableFuture<AppServer> server = AppServer.startInBackground("notifier-app", config.http(), health, clients.meters(),
                routes -> { });
        try {
            new TopicProvisioner(clients.admin(), config.topics()).ensure(all);
            if (config.topics().createTopics()) {
                new SchemaRules(clients.cluster()).ensureInBackground(all);
            }
            ResultNotifier notifier = new ResultNotifier(channels, config.retry().defaultMaxAttempts(), clients.meters());
            // one consumer for the results and every delivery tier, as in the processor
            TaskConsumer<TaskResult> consumer = new TaskConsumer<>(config.groupId(), inputs, config.consumer(),
                    RetryTiers.forResults(config.retry()), clients, notifier, clients.meters(), clock,
                    new TaskEvents(config.events(), config.consumer().instanceId(), clock)).start();
            started.set(consumer);
            // the group's figures: every instance exports the same (dashboards and alerts take max())
            Optional<QueueMetrics> queueMetrics = QueueMetrics.forGroup(config.queueMetrics(), clients, config.groupId(), inputs, clock);
            return new NotifierApp(consumer, List.copyOf(channels), server.join(), queueMetrics);
        } catch (RuntimeException e) {
            AppServer.closeQuietly(server);
            throw e;
        }
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        NotifierAppConfig config = load(env);
        List<NotificationChannel> channels = channels(config, env);
        KafkaClients clients = KafkaClients.connect(config.cluster());
        NotifierApp app = build(config, clients, channels);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            clients.close();
        }, "notifier-app-shutdown"));
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        queueMetrics.ifPresent(QueueMetrics::close);
        consumer.close();
        server.close();
        for (NotificationChannel channel : channels) {
            try {
                channel.close();
            } catch (RuntimeException e) {
                LOG.warn("closing channel {} failed", channel.name(), e);
            }
        }
    }
}
