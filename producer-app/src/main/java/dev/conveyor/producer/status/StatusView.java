package dev.conveyor.producer.status;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running status view of one gateway instance: a Kafka Streams application folding
 * {@code tasks.events}, one member of the group every instance with the same application id forms,
 * reachable by the others at {@code application.server} = this instance's advertised host and HTTP
 * port. Exactly-once, so a store never counts an event twice after a crash. An event that cannot be
 * decoded or folded is logged and skipped rather than stopping its partition.
 */
public final class StatusView implements AutoCloseable {

    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(StatusView.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final StatusViewSettings settings;
    private final AtomicLong timesRunning = new AtomicLong();

    private StatusView(KafkaStreams streams, HostInfo self, StatusViewSettings settings) {
        this.streams = streams;
        this.self = self;
        this.settings = settings;
    }

    /** Starts the view; it answers once it is RUNNING (after joining the group and restoring its stores). */
    public static StatusView start(StatusViewSettings settings, ClusterConfig cluster, short replicationFactor, String instanceId,
                                   HostInfo self, TerminalListener listener) {
        KafkaStreams streams = new KafkaStreams(StatusTopology.build(StatusSerdes.registry(cluster), RetentionPolicy.of(settings.retention()),
                listener), properties(settings, cluster, replicationFactor, instanceId, self));
        StatusView view = new StatusView(streams, self, settings);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                view.timesRunning.incrementAndGet();
            }
            LOG.info("status view {} -> {}", before, now);
        });
        streams.setUncaughtExceptionHandler(failure -> {
            if (failure instanceof MissingSourceTopicException || failure.getCause() instanceof MissingSourceTopicException) {
                LOG.error("status view stops: topic {} does not exist (create it, or start an app with TOPICS_CREATE=true)",
                        Topics.EVENTS.name(), failure);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("status view thread failed; starting a new one", failure);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return view;
    }

    static Properties properties(StatusViewSettings settings, ClusterConfig cluster, short replicationFactor, String instanceId, HostInfo self) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        // bootstrap servers and the cluster's security, from the one mapping every Conveyor client uses
        props.putAll(cluster.clientProperties());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-" + instanceId);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        return props;
    }

    KafkaStreams streams() {
        return streams;
    }

    HostInfo self() {
        return self;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** How often the view has entered RUNNING: a change between two readings means it was RUNNING in between. */
    public long timesRunning() {
        return timesRunning.get();
    }

    /** Why the view cannot answer now, or empty when it can. */
    Optional<String> unavailable() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        return Optional.of("the status view is " + state + (state == KafkaStreams.State.REBALANCING
                ? ": partitions are being assigned or their stores restored" : ""));
    }

    /** Whether the view can still become RUNNING: false once it failed for good (then the instance needs a restart). */
    public boolean alive() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    /** The instance that holds a task's status; its active host is unavailable while the group is rebalancing. */
    public KeyQueryMetadata ownerOf(String taskId) {
        return streams.queryMetadataForKey(StatusTopology.STATUS_STORE, taskId, Serdes.String().serializer());
    }

    public HostInfo host() {
        return self;
    }

    /** Leaves the group, so the others take over its partitions at once, within {@link #CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        if (!closed) {
            LOG.warn("status view did not stop within {}", CLOSE_TIMEOUT);
        } else if (settings.removeStateOnClose()) {
            streams.cleanUp();
            try {
                Files.deleteIfExists(settings.stateDir());
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", settings.stateDir(), e.toString());
            }
        }
    }
}
