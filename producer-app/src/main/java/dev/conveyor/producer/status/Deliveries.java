package dev.conveyor.producer.status;

import dev.conveyor.schema.StatusDelivery;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;

/**
 * Folds the notifier's events into the delivery state of each channel. They never change the task's
 * state; per channel a delivery event applies only at or past the channel's last applied position,
 * and never for a run older than the task's current one.
 */
final class Deliveries {

    private Deliveries() {
    }

    static void apply(TaskStatusView status, TaskEvent event) {
        String channel = event.getChannel();
        if (channel == null || event.getRun() < status.getRun()) {
            return;
        }
        EventPosition position = EventPosition.of(event);
        StatusDelivery last = status.getDeliveries().get(channel);
        if (last != null && !position.atOrAfter(new EventPosition(last.getRun(), last.getAttempt(), last.getRank()))) {
            return;
        }
        status.getDeliveries().put(channel, StatusDelivery.newBuilder()
                .setState(switch (event.getKind()) {
                    case DELIVERED -> "DELIVERED";
                    case DELIVERY_RETRY_SCHEDULED -> "RETRYING";
                    default -> "FAILED";
                })
                .setRun(event.getRun())
                .setAttempt(event.getAttempt())
                .setRank(position.rank())
                .setAt(event.getAt())
                .setError(TextLimits.text(event.getError()))
                .build());
    }
}
