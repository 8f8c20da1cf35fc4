package dev.conveyor.metrics;

import dev.conveyor.inspect.GroupSnapshot;
import dev.conveyor.inspect.QueueInspector;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicDescriptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports one consumer group's queue as gauges, refreshed from a {@link QueueInspector} on a schedule:
 * {@link MetricNames#CONSUMER_LAG} and {@link MetricNames#QUEUE_LATENCY} per topic and
 * {@link MetricNames#CONSUMER_GROUP_MEMBERS}. The values are the group's, not this instance's: every
 * instance of a group exports the same figures, so dashboards and alerts take {@code max()} over
 * instances, never {@code sum()}. Before the first refresh, and after one that failed, the gauges
 * read NaN (unknown) rather than a stale value.
 */
public final class QueueMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);

    private final QueueInspector inspector;
    private final String group;
    private final List<String> topics;
    private final AtomicReference<GroupSnapshot> latest = new AtomicReference<>();
    private final ScheduledExecutorService schedule;

    private QueueMetrics(QueueInspector inspector, String group, List<String> topics, MeterRegistry meters) {
        this.inspector = inspector;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("conveyor-queue-metrics-" + group)
                .daemon().factory());
        Gauge.builder(MetricNames.CONSUMER_GROUP_MEMBERS, this, metrics -> metrics.read(s -> s.members().size()))
                .tag(MetricNames.TAG_GROUP, group).register(meters);
        for (String topic : this.topics) {
            Gauge.builder(MetricNames.CONSUMER_LAG, this, metrics -> metrics.read(s -> s.lag(topic)))
                    .tag(MetricNames.TAG_GROUP, group).tag(MetricNames.TAG_TOPIC, topic).register(meters);
            TimeGauge.builder(MetricNames.QUEUE_LATENCY, this, TimeUnit.MILLISECONDS,
                            metrics -> metrics.read(s -> s.queueLatency(topic).map(Duration::toMillis).orElse(null)))
                    .tag(MetricNames.TAG_GROUP, group).tag(MetricNames.TAG_TOPIC, topic).register(meters);
        }
    }

    /** Registers the gauges of {@code group} on {@code topics} without refreshing them; see {@link #refresh()}. */
    public static QueueMetrics register(QueueInspector inspector, String group, List<String> topics, MeterRegistry meters) {
        return new QueueMetrics(inspector, group, topics, meters);
    }

    /** Registers the gauges and refreshes them every {@code interval}, the first time at once. */
    public static QueueMetrics start(QueueInspector inspector, String group, List<String> topics, MeterRegistry meters,
                                     Duration interval) {
        QueueMetrics metrics = register(inspector, group, topics, meters);
        metrics.schedule.scheduleWithFixedDelay(metrics::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return metrics;
    }

    /**
     * What an app runs for its own group: the gauges of {@code group} on {@code topics}, refreshed as
     * {@code settings} say, with an inspector of their own on {@code clients}; empty when they are off.
     * Close it before the clients.
     */
    public static Optional<QueueMetrics> forGroup(QueueMetricsSettings settings, KafkaClients clients, String group,
                                         List<? extends TopicDescriptor<?>> topics, Clock clock) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        QueueInspector inspector = QueueInspector.connect(clients, "conveyor-queue-inspector-" + group, clock);
        return Optional.of(start(inspector, group, topics.stream().map(TopicDescriptor::name).toList(), clients.meters(),
                settings.interval()));
    }

    /** Takes a snapshot now; the gauges show it until the next. A failure leaves them unknown and is thrown. */
    public GroupSnapshot refresh() {
        try {
            GroupSnapshot snapshot = inspector.inspect(group, topics);
            latest.set(snapshot);
            return snapshot;
        } catch (RuntimeException e) {
            latest.set(null);
            throw e;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // the next refresh tries again; meanwhile the gauges say unknown
            LOG.warn("queue metrics of group {}: {}", group, e.toString());
        }
    }

    private double read(SnapshotFigure figure) {
        GroupSnapshot snapshot = latest.get();
        Number value = snapshot == null ? null : figure.of(snapshot);
        return value == null ? Double.NaN : value.doubleValue();
    }

    @FunctionalInterface
    private interface SnapshotFigure {
        Number of(GroupSnapshot snapshot);
    }

    /** Stops the refreshes and closes the inspector. */
    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inspector.close();
    }
}
