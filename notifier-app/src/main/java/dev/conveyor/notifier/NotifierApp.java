package dev.conveyor.notifier;

import dev.conveyor.AppServer;
import dev.conveyor.DeadLetterPublisher;
import dev.conveyor.Env;
import dev.conveyor.HealthCheck;
import dev.conveyor.KafkaClients;
import dev.conveyor.TaskConsumer;
import dev.conveyor.TopicProvisioner;
import dev.conveyor.Topics;
import dev.conveyor.schema.TaskResult;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/** The notifier app: a consumer group on {@code tasks.results} delivering every outcome through its channels. */
public final class NotifierApp implements AutoCloseable {

    private final TaskConsumer<TaskResult> consumer;
    private final Producer<String, SpecificRecord> producer;
    private final HttpClient http;
    private final AppServer server;

    private NotifierApp(TaskConsumer<TaskResult> consumer, Producer<String, SpecificRecord> producer, HttpClient http, AppServer server) {
        this.consumer = consumer;
        this.producer = producer;
        this.http = http;
        this.server = server;
    }

    public static NotifierAppConfig load(Map<String, String> env) {
        return NotifierAppConfig.load(Env.of(env));
    }

    public static NotifierApp build(NotifierAppConfig config, KafkaClients clients) {
        Clock clock = Clock.systemUTC();
        new TopicProvisioner(clients.admin(), config.topics()).ensure(List.of(Topics.RESULTS, Topics.DEAD_LETTERS));
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
        List<NotificationChannel> channels = config.channels().stream()
                .map(name -> channel(name, config, http))
                .toList();
        Producer<String, SpecificRecord> producer = clients.producer("conveyor-notifier-dlq", Map.of());
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, clients.meters(), clock);
        TaskConsumer<TaskResult> consumer = new TaskConsumer<>(config.groupId(), Topics.RESULTS, config.consumer(), clients,
                new ResultNotifier(channels, clients.meters()), deadLetters, clients.meters(), clock).start();
        HealthCheck health = new HealthCheck(clients, clock).with("consumer", consumer::isRunning);
        AppServer server = AppServer.start("notifier-app", config.http(), health, clients.meters(), routes -> { });
        return new NotifierApp(consumer, producer, http, server);
    }

    private static NotificationChannel channel(String name, NotifierAppConfig config, HttpClient http) {
        return switch (name) {
            case "log" -> new LogChannel();
            case "webhook" -> new WebhookChannel(http, config.webhookTimeout(), config.webhookMaxAttempts(), config.webhookBackoff());
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
        producer.close();
        http.close();
        server.close();
    }
}
