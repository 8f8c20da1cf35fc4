package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds each event into its task's status, keeps the partition's aggregate in step with every state
 * change, tells the {@link TerminalListener} of terminal transitions, and sweeps expired statuses on
 * a wall-clock punctuation. Time is the stream task's wall clock, which tests drive.
 */
final class StatusProcessor implements Processor<String, TaskEvent, Void, Void> {

    private final RetentionPolicy retention;
    private final TerminalListener listener;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, TaskStatusView> statuses;
    private TypeStatsBook stats;
    private RetentionSweep sweep;

    StatusProcessor(RetentionPolicy retention, TerminalListener listener) {
        this.retention = retention;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        statuses = context.getStateStore(StatusTopology.STATUS_STORE);
        stats = new TypeStatsBook(context.getStateStore(StatusTopology.STATS_STORE), context.taskId().partition());
        sweep = new RetentionSweep(statuses, retention.retention(), retention.batch());
        context.schedule(retention.sweepEvery(), PunctuationType.WALL_CLOCK_TIME, now -> sweep(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null) {
            // a tombstone: events are never deleted one by one, so there is nothing to fold
            return;
        }
        String id = event.getTaskId();
        TaskStatusView current = statuses.get(id);
        TaskStatusView next = TaskStatusFold.apply(current, event);
        if (next == current) {
            return;
        }
        statuses.put(id, next);
        String before = current == null ? null : current.getState();
        if (!next.getState().equals(before)) {
            stats.transition(next.getType(), before, next.getState(), event.getAt(), now());
            if (TaskState.terminal(next.getState())) {
                listener.terminal(id, next);
            }
        }
    }

    private void sweep(Instant now) {
        for (TaskStatusView expired : sweep.sweep(now)) {
            stats.removed(expired.getType(), expired.getState(), now);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
