package dev.conveyor.notifier;

import dev.conveyor.NotificationChannel;
import dev.conveyor.schema.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every outcome, one line each: the audit trail of last resort. */
final class LogChannel implements NotificationChannel {

    private static final Logger LOG = LoggerFactory.getLogger("conveyor.results");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public boolean accepts(TaskResult result) {
        return true;
    }

    @Override
    public void deliver(TaskResult result) {
        LOG.info("task {} type={} key={} status={} attempts={}{}", result.getTaskId(), result.getType(), result.getKey(),
                result.getStatus(), result.getAttempts(), result.getError() == null ? "" : " error=" + result.getError());
    }
}
