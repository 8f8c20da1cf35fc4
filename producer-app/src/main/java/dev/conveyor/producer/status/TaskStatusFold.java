package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * The status view's fold: (status so far, event) → status. Pure, so the Streams processor and the
 * tests share it. Task events move the state ({@link TaskTransitions}), delivery events the
 * per-channel delivery state ({@link Deliveries}), and every event not seen before joins the
 * timeline.
 */
public final class TaskStatusFold {

    private TaskStatusFold() {
    }

    /**
     * The status after {@code event}: a new instance when anything changed, {@code current} itself
     * when the event adds nothing (a repeat). {@code current} is never modified.
     */
    public static TaskStatusView apply(TaskStatusView current, TaskEvent event) {
        TaskStatusView next = current == null ? unknown(event) : TaskStatusView.newBuilder(current).build();
        // a plain list: Avro's own array compares its elements without the timestamp conversions
        next.setTimeline(new ArrayList<>(next.getTimeline()));
        Timeline.add(next.getTimeline(), event);
        // one submitter per task; whichever of its events arrives first with it names it
        if (next.getSubmitter() == null && event.getSubmitter() != null) {
            next.setSubmitter(event.getSubmitter());
        }
        if (EventPosition.isDelivery(event.getKind())) {
            Deliveries.apply(next, event);
        } else {
            TaskTransitions.apply(next, event);
        }
        if (current != null && next.equals(current)) {
            return current;
        }
        if (current == null || event.getAt().isAfter(current.getUpdatedAt())) {
            next.setUpdatedAt(event.getAt());
        }
        return next;
    }

    /**
     * A task before any of its events is applied: its position is below every event of the run, so
     * the first task event applies whatever its kind. A delivery seen first leaves it QUEUED until
     * the task's own events arrive.
     */
    private static TaskStatusView unknown(TaskEvent event) {
        return TaskStatusView.newBuilder()
                .setTaskId(event.getTaskId())
                .setType(event.getType())
                .setKey(event.getKey())
                .setState(TaskState.QUEUED.name())
                .setRun(event.getRun())
                .setAttempt(0)
                .setRank(-1)
                .setUpdatedAt(event.getAt())
                .setDeliveries(new HashMap<>())
                .setTimeline(new ArrayList<>())
                .build();
    }
}
