package dev.conveyor.console;

import dev.conveyor.Env;
import dev.conveyor.console.access.ConsoleAccess;
import dev.conveyor.console.activity.ActivityTail;
import dev.conveyor.console.audit.AuditLog;
import dev.conveyor.console.deadletters.DeadLetterRoutes;
import dev.conveyor.console.overview.OverviewRoutes;
import dev.conveyor.console.queues.QueueRoutes;
import dev.conveyor.console.tasks.TaskRoutes;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.http.AppServer;
import dev.conveyor.http.HealthCheck;
import dev.conveyor.inspect.QueueInspector;
import dev.conveyor.kafka.KafkaClients;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The console app: a web console over Kafka for operators (overview, topics and tiers, consumers, a
 * task's timeline, dead letters with replay and purge), behind the gateway's API keys with the admin scope.
 */
public final class ConsoleApp implements AutoCloseable {

    private final AppServer server;
    private final ActivityTail activity;
    private final QueueInspector inspector;
    private final AuditLog audit;

    private ConsoleApp(AppServer server, ActivityTail activity, QueueInspector inspector, AuditLog audit) {
        this.server = server;
        this.activity = activity;
        this.inspector = inspector;
        this.audit = audit;
    }

    public static ConsoleConfig load(Map<String, String> env) {
        return ConsoleConfig.load(Env.of(env));
    }

    public static ConsoleApp build(ConsoleConfig config, KafkaClients clients) {
        Clock clock = Clock.systemUTC();
        ConsoleAccess access = ConsoleAccess.from(config.auth(), clock);
        AuditLog audit = new AuditLog(config.auditLog(), clock);
        QueueInspector inspector = QueueInspector.connect(clients, "conveyor-console-inspector", clock);
        ActivityTail activity = ActivityTail.start(clients, config.activityWindow(), clock);
        DeadLetterRoutes deadLetters = new DeadLetterRoutes(new DeadLetterStore(clients, "console-app", clock), audit, clock);
        QueueRoutes queues = new QueueRoutes(clients.admin(), inspector);
        TaskRoutes tasks = new TaskRoutes(config.gateway(), config.gatewayApiKey());
        OverviewRoutes overview = new OverviewRoutes(activity);
        HealthCheck health = new HealthCheck(clients, clock);
        AppServer server = AppServer.start("console-app", config.http(), health, clients.meters(), app -> {
            access.install(app);
            ConsolePages.routes(app);
            overview.routes(app);
            queues.routes(app);
            tasks.routes(app);
            deadLetters.routes(app);
            app.get("/api/audit", ctx -> ctx.contentType("application/json").result("[" + String.join(",", audit.recent()) + "]"));
        });
        return new ConsoleApp(server, activity, inspector, audit);
    }

    public static void main(String[] args) {
        ConsoleConfig config = load(System.getenv());
        KafkaClients clients = KafkaClients.connect(config.cluster());
        ConsoleApp app = build(config, clients);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            clients.close();
        }, "console-app-shutdown"));
    }

    public String url() {
        return server.url();
    }

    /** The audit log's newest entries, newest first. */
    public java.util.List<String> auditTrail() {
        return audit.recent();
    }

    @Override
    public void close() {
        server.close();
        activity.close();
        inspector.close();
    }
}
