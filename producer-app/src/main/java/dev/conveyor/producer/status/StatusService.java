package dev.conveyor.producer.status;

import dev.conveyor.kafka.ClusterConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The status view as the gateway wires it: routes first (they answer 503 until the view runs), then
 * the view itself once the HTTP port is known, since other instances reach this one's stores there.
 */
public final class StatusService implements AutoCloseable {

    /** {@code conveyor_status_waiters} in Prometheus' text format. */
    public static final String WAITERS_METRIC = "conveyor.status.waiters";

    private final StatusViewSettings settings;
    private final StatusWaiters waiters;
    private final OwnerForwarder forwarder = new OwnerForwarder();
    private final StatusRoutes routes = new StatusRoutes();
    private volatile StatusView view;

    public StatusService(StatusViewSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.waiters = new StatusWaiters(settings.maxWaiters());
        Gauge.builder(WAITERS_METRIC, waiters, StatusWaiters::parked)
                .description("requests waiting for a task to end (wait=...), here or forwarded from here; at most STATUS_MAX_WAITERS")
                .register(meters);
    }

    /** @param readable of which submitters (API key ids, or null for none) a request's caller may read tasks */
    public void routes(Javalin app, Function<Context, Predicate<String>> readable) {
        routes.routes(app, readable);
    }

    /** Starts the view behind the routes; {@code httpPort} is the port those routes answer on. */
    public void start(ClusterConfig cluster, short replicationFactor, String instanceId, int httpPort, Clock clock) {
        HostInfo self = new HostInfo(settings.advertisedHost(), httpPort);
        StatusView started = StatusView.start(settings, cluster, replicationFactor, instanceId, self, waiters);
        view = started;
        routes.serve(new StatusQueries(started, waiters, forwarder, clock));
    }

    /** False once the view failed for good; a view still starting or rebalancing is alive. */
    public boolean alive() {
        StatusView current = view;
        return current == null || current.alive();
    }

    public Optional<StatusView> view() {
        return Optional.ofNullable(view);
    }

    @Override
    public void close() {
        StatusView current = view;
        if (current != null) {
            current.close();
        }
        waiters.close();
        forwarder.close();
    }
}
