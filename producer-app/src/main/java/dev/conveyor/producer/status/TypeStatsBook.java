package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskTypeStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The operator aggregate of one stream task (one partition of {@code tasks.events}): per task type,
 * how many statuses of the task-status store are in each state, and how many transitions happened in
 * each minute of the last hour. One document per type, keyed {@code p-<partition>/<type>}, written
 * with the status change that caused it so both commit together. The documents are kept in memory
 * too: this processor is their only writer.
 */
final class TypeStatsBook {

    private final KeyValueStore<String, TaskTypeStats> store;
    private final String prefix;
    private final Map<String, TaskTypeStats> byType = new HashMap<>();

    TypeStatsBook(KeyValueStore<String, TaskTypeStats> store, int partition) {
        this.store = store;
        this.prefix = "p-" + partition + "/";
    }

    /** A task of {@code type} moved from {@code from} (null: it is new to the store) to {@code to} at {@code at}. */
    void transition(String type, String from, String to, Instant at, Instant now) {
        TaskTypeStats stats = stats(type);
        if (from != null) {
            decrement(stats, from);
        }
        stats.getCounts().merge(to, 1L, Long::sum);
        RecentMinutes.count(stats.getMinutes(), at, now);
        store.put(prefix + type, stats);
    }

    /** A status of {@code type} in {@code state} left the store. */
    void removed(String type, String state, Instant now) {
        TaskTypeStats stats = stats(type);
        decrement(stats, state);
        RecentMinutes.prune(stats.getMinutes(), now);
        store.put(prefix + type, stats);
    }

    private static void decrement(TaskTypeStats stats, String state) {
        stats.getCounts().computeIfPresent(state, (s, count) -> count > 1 ? count - 1 : null);
    }

    private TaskTypeStats stats(String type) {
        return byType.computeIfAbsent(type, t -> {
            TaskTypeStats stored = store.get(prefix + t);
            return stored != null ? stored : new TaskTypeStats(t, new HashMap<>(), new ArrayList<>());
        });
    }
}
