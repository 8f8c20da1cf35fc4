package dev.conveyor.producer;

import dev.conveyor.http.AppServer;
import dev.conveyor.Env;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.SchemaRules;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer app: the HTTP gateway in front of the {@link TaskClient}. */
public final class ProducerApp implements AutoCloseable {

    private final Producer<String, TaskRequest> producer;
    private final TaskClient client;
    private final AppServer server;

    private ProducerApp(Producer<String, TaskRequest> producer, TaskClient client, AppServer server) {
        this.producer = producer;
        this.client = client;
        this.server = server;
    }

    public static ProducerAppConfig load(Map<String, String> env) {
        return ProducerAppConfig.load(Env.of(env));
    }

    public static ProducerApp build(ProducerAppConfig config, KafkaClients clients) {
        List<dev.conveyor.kafka.TopicDescriptor<?>> topics = new java.util.ArrayList<>(List.of(Topics.TASKS, Topics.IDEMPOTENCY));
        topics.addAll(config.tiers().tierTopics());
        new TopicProvisioner(clients.admin(), config.topics()).ensure(topics);
        if (config.topics().createTopics()) {
            new SchemaRules(clients.cluster()).ensureInBackground(topics);
        }
        long timeoutMs = config.sendTimeout().toMillis();
        // bounded waits everywhere, so an unreachable Kafka turns into a 503, never a hung request
        Producer<String, TaskRequest> producer = clients.producer("conveyor-producer-app", Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs,
                // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (timeoutMs + KafkaClients.DEFAULT_LINGER_MS)));
        TaskClient client = TaskClient.withIdempotency(clients, producer, config.maxPayloadBytes(), Clock.systemUTC(), config.tiers(),
                config.idempotencyRetention(), config.instanceId(), config.sendTimeout());
        TaskGateway gateway = new TaskGateway(client, config.maxPayloadBytes(), config.sendTimeout(), config.batchMaxTasks(),
                config.maxPendingSubmissions(), clients.meters());
        AppServer server = AppServer.start("producer-app", config.http(), new HealthCheck(clients, Clock.systemUTC()),
                clients.meters(), gateway::routes);
        return new ProducerApp(producer, client, server);
    }

    public static void main(String[] args) {
        ProducerAppConfig config = load(System.getenv());
        KafkaClients clients = KafkaClients.connect(config.cluster());
        ProducerApp app = build(config, clients);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            clients.close();
        }, "producer-app-shutdown"));
    }

    public TaskClient client() {
        return client;
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        client.close();
        producer.close();
    }
}
