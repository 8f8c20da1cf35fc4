package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskStatusView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets statuses not updated within the retention, a bounded slice of the store per run so a
 * punctuation never holds the stream thread long: each run continues after the last key the
 * previous one looked at and starts over once it reaches the end. A delete writes a tombstone to the
 * compacted changelog.
 */
final class RetentionSweep {

    private final KeyValueStore<String, TaskStatusView> store;
    private final Duration retention;
    private final int batch;
    private String cursor;

    RetentionSweep(KeyValueStore<String, TaskStatusView> store, Duration retention, int batch) {
        this.store = store;
        this.retention = retention;
        this.batch = batch;
    }

    /** Deletes the expired statuses among the next slice and returns them. */
    List<TaskStatusView> sweep(Instant now) {
        Instant cutoff = now.minus(retention);
        List<KeyValue<String, TaskStatusView>> expired = new ArrayList<>();
        String last = null;
        boolean more;
        try (KeyValueIterator<String, TaskStatusView> slice = cursor == null ? store.all() : store.range(cursor, null)) {
            int seen = 0;
            while (seen < batch && slice.hasNext()) {
                KeyValue<String, TaskStatusView> entry = slice.next();
                if (entry.key.equals(cursor)) {
                    continue;
                }
                seen++;
                last = entry.key;
                if (entry.value.getUpdatedAt().isBefore(cutoff)) {
                    expired.add(entry);
                }
            }
            more = slice.hasNext();
        }
        cursor = more ? last : null;
        for (KeyValue<String, TaskStatusView> entry : expired) {
            store.delete(entry.key);
        }
        return expired.stream().map(entry -> entry.value).toList();
    }
}
