package dev.conveyor.producer.status;

import dev.conveyor.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The status view's topology: {@code tasks.events} folded by {@link StatusProcessor} into two
 * persistent stores, {@value #STATUS_STORE} (one status per task id) and {@value #STATS_STORE} (the
 * per-partition aggregate). Both are cached, so a task's several events within one commit interval
 * reach the changelog as one record.
 */
public final class StatusTopology {

    public static final String STATUS_STORE = "task-status";
    public static final String STATS_STORE = "task-stats";
    static final String SOURCE = "task-events";
    static final String PROCESSOR = "status-fold";

    private StatusTopology() {
    }

    public static Topology build(StatusSerdes serdes, RetentionPolicy retention, TerminalListener listener) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), serdes.events().deserializer(), Topics.EVENTS.name());
        topology.addProcessor(PROCESSOR, () -> new StatusProcessor(retention, listener), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE), Serdes.String(),
                serdes.statuses()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_STORE), Serdes.String(),
                serdes.stats()).withCachingEnabled(), PROCESSOR);
        return topology;
    }
}
