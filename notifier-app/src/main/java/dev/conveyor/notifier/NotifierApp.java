package dev.conveyor.notifier;

import dev.conveyor.NotificationChannel;
import dev.conveyor.http.AppServer;
import dev.conveyor.DeadLetterPublisher;
import dev.conveyor.Env;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.RetryPublisher;
import dev.conveyor.TaskConsumer;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.internal.retry.RetryTopicResolver;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskResult;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The notifier app: a consumer group on {@code tasks.results} delivering every outcome through its channels. */
public final class NotifierApp implements AutoCloseable {

    private final TaskConsumer<TaskResult> consumer;
    private final HttpClient http;
    private final AppServer server;

    private NotifierApp(TaskConsumer<TaskResult> consumer, HttpClient http, AppServer server) {
        this.consumer = consumer;
        this.http = http;
        this.server = server;
    }

    public static NotifierAppConfig load(Map<String, String> env) {
        return NotifierAppConfig.load(Env.of(env));
    }

    public static NotifierApp build(NotifierAppConfig config, KafkaClients clients) {
        return build(config, clients, null);
    }

    /**
     * As {@link #build(NotifierAppConfig, KafkaClients)}, but delivering through {@code channels}
     * instead of the configured ones (a service embedding the notifier, or a benchmark measuring it).
     */
    public static NotifierApp build(NotifierAppConfig config, KafkaClients clients, List<NotificationChannel> channels) {
        Clock clock = Clock.systemUTC();
        List<TopicDescriptor<TaskResult>> inputs = new ArrayList<>();
        inputs.add(Topics.RESULTS);
        inputs.addAll(config.retry().tierTopics(Topics::resultRetryTier));
        List<TopicDescriptor<?>> all = new ArrayList<>(inputs);
        all.add(Topics.DEAD_LETTERS);
        new TopicProvisioner(clients.admin(), config.topics()).ensure(all);
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
        List<NotificationChannel> delivering = channels != null ? List.copyOf(channels) : config.channels().stream()
                .map(name -> channel(name, config, http))
                .toList();
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(clients.meters(), clock);
        RetryPublisher<TaskResult> retries = new RetryPublisher<>(new RetryTopicResolver<>(config.retry().tiers(),
                config.retry().tierTopics(Topics::resultRetryTier)), config.retry().jitter(), clock);
        ResultNotifier notifier = new ResultNotifier(delivering, retries, deadLetters, config.retry().defaultMaxAttempts(),
                clients.meters(), clock);
        // one consumer for the results and every delivery tier, as in the processor
        TaskConsumer<TaskResult> consumer = new TaskConsumer<>(config.groupId(), inputs, config.consumer(), clients,
                notifier, deadLetters, clients.meters(), clock).start();
        HealthCheck health = new HealthCheck(clients, clock).with("consumer", consumer::isRunning);
        AppServer server = AppServer.start("notifier-app", config.http(), health, clients.meters(), routes -> { });
        return new NotifierApp(consumer, http, server);
    }

    private static NotificationChannel channel(String name, NotifierAppConfig config, HttpClient http) {
        return switch (name) {
            case "log" -> new LogChannel();
            case "webhook" -> new WebhookChannel(http, config.webhookTimeout());
            default -> throw new IllegalArgumentException("unknown channel " + name);
        };
    }

    public static void main(String[] args) {
        NotifierAppConfig config = load(System.getenv());
        KafkaClients clients = KafkaClients.connect(config.cluster());
        NotifierApp app = build(config, clients);
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
        consumer.close();
        http.close();
        server.close();
    }
}
