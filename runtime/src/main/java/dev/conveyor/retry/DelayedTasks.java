package dev.conveyor.retry;

import dev.conveyor.internal.retry.DelayRouter;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.schema.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Tasks submitted with a run time ({@code delay} or {@code runAt}) wait in the retry tiers, hopping
 * from tier to tier until they are due; the submitters and the processor's router share this so both
 * route the same way.
 */
public final class DelayedTasks {

    private final DelayRouter router;
    private final Clock clock;

    public DelayedTasks(RetrySettings settings, Clock clock) {
        this.router = new DelayRouter(settings);
        this.clock = clock;
    }

    /** Whether the task may run now. */
    public boolean isDue(TaskRequest task) {
        return task.getRunAt() == null || !clock.instant().isBefore(task.getRunAt());
    }

    /**
     * The record a submitter writes to park a new task in the tier that fits its remaining wait, due at the
     * tier's time or its run time, whichever is first.
     */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> ProducerRecord<String, V> nextHop(String key, TaskRequest task) {
        DelayRouter.Hop hop = router.next(clock.instant(), task.getRunAt());
        RecordHeaders headers = new RecordHeaders();
        headers.add(RetryHeaders.DUE, hop.due().toString().getBytes(StandardCharsets.UTF_8));
        TaskHeaders.putType(headers, task.getType());
        return new ProducerRecord<>(hop.topic().name(), null, key, (V) task, headers);
    }
}
