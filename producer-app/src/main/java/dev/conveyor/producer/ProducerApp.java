package dev.conveyor.producer;

import dev.conveyor.http.AppServer;
import dev.conveyor.Env;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.SchemaRules;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import dev.conveyor.auth.GatewayAuth;
import dev.conveyor.producer.status.StatusService;
import dev.conveyor.producer.status.StatusView;
import dev.conveyor.schema.TaskRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer app: the HTTP gateway in front of the {@link TaskClient}. */
public final class ProducerApp implements AutoCloseable {

    private final Producer<String, TaskRequest> producer;
    private final TaskClient client;
    private final AppServer server;
    private final StatusService status;

    private ProducerApp(Producer<String, TaskRequest> producer, TaskClient client, AppServer server, StatusService status) {
        this.producer = producer;
        this.client = client;
        this.server = server;
        this.status = status;
    }

    public static ProducerAppConfig load(Map<String, String> env) {
        return ProducerAppConfig.load(Env.of(env));
    }

    public static ProducerApp build(ProducerAppConfig config, KafkaClients clients) {
        // the keys first: a keys file that cannot be used stops the start before anything else happens
        GatewayAuth auth = GatewayAuth.from(config.auth(), Clock.systemUTC(), clients.meters());
        List<dev.conveyor.kafka.TopicDescriptor<?>> topics = new java.util.ArrayList<>(List.of(Topics.TASKS, Topics.IDEMPOTENCY, Topics.EVENTS));
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
                config.maxPendingSubmissions(), clients.meters(), auth);
        StatusService status = config.statusView().enabled() ? new StatusService(config.statusView(), clients.meters()) : null;
        // the view does not gate health: tasks are accepted while it restores; only a view failed for good does
        HealthCheck health = new HealthCheck(clients, Clock.systemUTC()).with("status-view", () -> status == null || status.alive());
        AppServer server = AppServer.start("producer-app", config.http(), health, clients.meters(), app -> {
            auth.install(app);
            gateway.routes(app);
            if (status != null) {
                status.routes(app, auth::readable);
            }
        });
        if (status != null) {
            // after the server: other instances are told this instance's actual port, which port 0 picks at start
            try {
                status.start(clients.cluster(), config.topics().replicationFactor(), config.instanceId(), server.port(), Clock.systemUTC());
            } catch (RuntimeException e) {
                server.close();
                status.close();
                throw e;
            }
        }
        return new ProducerApp(producer, client, server, status);
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

    /** The status view, when {@code STATUS_VIEW} is on and it has started. */
    public Optional<StatusView> statusView() {
        return status == null ? Optional.empty() : status.view();
    }

    @Override
    public void close() {
        server.close();
        if (status != null) {
            status.close();
        }
        client.close();
        producer.close();
    }
}
