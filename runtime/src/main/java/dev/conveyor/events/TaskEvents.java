package dev.conveyor.events;

import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Builds the lifecycle events of tasks, as records of {@code tasks.events} keyed by task id, for one app
 * instance. Pure: it writes nothing, so every app writes its events with the rest of a record's outputs.
 * When events are off every builder returns null.
 */
public final class TaskEvents {

    /** Outputs longer than this are cut in the event: the view keeps a summary, {@code tasks.results} the whole. */
    public static final int MAX_OUTPUT_BYTES = 8 * 1024;
    /**
     * The task header naming the API key a task was submitted with. Set by the gateway, it travels in the
     * task's headers to its result and into every event, so every outcome shows who submitted it.
     */
    public static final String SUBMITTER = "conveyor.submitter";

    private final EventSettings settings;
    private final String instance;
    private final Clock clock;

    public TaskEvents(EventSettings settings, String instance, Clock clock) {
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
    }

    public static TaskEvents off() {
        return new TaskEvents(EventSettings.off(), null, Clock.systemUTC());
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public boolean startedEnabled() {
        return settings.started();
    }

    /** A submission was accepted; {@code dueAt} of a delayed task is its run time; {@code headers} are the task record's. */
    public ProducerRecord<String, SpecificRecord> queued(TaskRequest task, Headers headers) {
        return settings.enabled() ? record(of(task, TaskEventKind.QUEUED, 0, 0).setDueAt(task.getRunAt()).build(), headers) : null;
    }

    /** A handler starts attempt {@code task.attempt}. */
    public ProducerRecord<String, SpecificRecord> started(TaskRequest task, Headers headers) {
        return settings.started() ? record(of(task, TaskEventKind.STARTED, task.getAttempt(), TaskHeaders.run(headers)).build(), headers) : null;
    }

    /** Attempt {@code attempt} failed; the next one is due at {@code due}, waiting in {@code tier}. */
    public ProducerRecord<String, SpecificRecord> retryScheduled(TaskRequest task, Headers headers, int attempt, String error,
                                                                 Instant due, String tier) {
        return settings.enabled() ? record(of(task, TaskEventKind.RETRY_SCHEDULED, attempt, TaskHeaders.run(headers))
                .setError(error).setDueAt(due).setTier(tier).build(), headers) : null;
    }

    /** The task was dead-lettered at attempt {@code attempt}; the letter's position is filled in once known. */
    public ProducerRecord<String, SpecificRecord> deadLettered(TaskRequest task, Headers headers, int attempt, String reason, String error) {
        return settings.enabled() ? record(of(task, TaskEventKind.DEAD_LETTERED, attempt, TaskHeaders.run(headers))
                .setReason(reason).setError(error).build(), headers) : null;
    }

    /** A later submission with an idempotency key already claimed: it does not run. */
    public ProducerRecord<String, SpecificRecord> duplicateSkipped(TaskRequest task, Headers headers) {
        return settings.enabled() ? record(of(task, TaskEventKind.DUPLICATE_SKIPPED, task.getAttempt(), TaskHeaders.run(headers))
                .setDetail("the idempotency key '" + task.getIdempotencyKey() + "' belongs to an earlier task").build(), headers) : null;
    }

    /** The task's terminal result: {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}. */
    public ProducerRecord<String, SpecificRecord> terminal(TaskResult result, Headers headers) {
        if (!settings.enabled()) {
            return null;
        }
        TaskEvent.Builder event = of(result, TaskEventKind.valueOf(result.getStatus().name()), result.getAttempts(), TaskHeaders.run(headers))
                .setAt(result.getCompletedAt()).setError(result.getError()).setReason(result.getReason());
        String output = result.getOutput();
        if (output != null) {
            byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
            boolean cut = bytes.length > MAX_OUTPUT_BYTES;
            event.setOutput(cut ? cutUtf8(bytes) : output).setOutputTruncated(cut);
        }
        return record(event.build(), headers);
    }

    /** Delivery attempt {@code attempt} of the result through {@code channel} succeeded. */
    public ProducerRecord<String, SpecificRecord> delivered(TaskResult result, Headers headers, String channel, int attempt) {
        return settings.enabled() ? record(of(result, TaskEventKind.DELIVERED, attempt, TaskHeaders.run(headers)).setChannel(channel).build(), headers) : null;
    }

    /** Delivery attempt {@code attempt} through {@code channel} failed; the next is due at {@code due}. */
    public ProducerRecord<String, SpecificRecord> deliveryRetryScheduled(TaskResult result, Headers headers, String channel, int attempt,
                                                                         String error, Instant due, String tier) {
        return settings.enabled() ? record(of(result, TaskEventKind.DELIVERY_RETRY_SCHEDULED, attempt, TaskHeaders.run(headers))
                .setChannel(channel).setError(error).setDueAt(due).setTier(tier).build(), headers) : null;
    }

    /** Conveyor gave up delivering the result through {@code channel}. */
    public ProducerRecord<String, SpecificRecord> deliveryFailed(TaskResult result, Headers headers, String channel, int attempt,
                                                                 String reason, String error) {
        return settings.enabled() ? record(of(result, TaskEventKind.DELIVERY_FAILED, attempt, TaskHeaders.run(headers))
                .setChannel(channel).setReason(reason).setError(error).build(), headers) : null;
    }

    /** A dead letter's task was replayed as run {@code run}; {@code headers} are the replayed task record's. */
    public ProducerRecord<String, SpecificRecord> replayed(TaskRequest task, Headers headers, long run, int letterPartition, long letterOffset) {
        return settings.enabled() ? record(of(task, TaskEventKind.REPLAYED, 0, run)
                .setDeadLetterPartition(letterPartition).setDeadLetterOffset(letterOffset).build(), headers) : null;
    }

    private TaskEvent.Builder of(TaskRequest task, TaskEventKind kind, int attempt, long run) {
        return base(task.getId(), task.getType(), task.getKey(), kind, attempt, run).setSubmitter(task.getHeaders().get(SUBMITTER));
    }

    private TaskEvent.Builder of(TaskResult result, TaskEventKind kind, int attempt, long run) {
        return base(result.getTaskId(), result.getType(), result.getKey(), kind, attempt, run).setSubmitter(result.getHeaders().get(SUBMITTER));
    }

    private TaskEvent.Builder base(String id, String type, String key, TaskEventKind kind, int attempt, long run) {
        return TaskEvent.newBuilder().setTaskId(id).setType(type).setKey(key).setKind(kind).setAttempt(attempt).setRun(run)
                .setAt(clock.instant()).setInstance(instance);
    }

    public static ProducerRecord<String, SpecificRecord> record(TaskEvent event) {
        return new ProducerRecord<>(Topics.EVENTS.name(), event.getTaskId(), event);
    }

    /**
     * The event's record, carrying the trace context of the task record it reports on: the same header
     * object, so an event costs no copy of it.
     */
    static ProducerRecord<String, SpecificRecord> record(TaskEvent event, Headers of) {
        ProducerRecord<String, SpecificRecord> record = record(event);
        Header trace = of.lastHeader(TaskHeaders.TRACEPARENT);
        if (trace != null) {
            record.headers().add(trace);
        }
        return record;
    }

    /** The longest prefix of at most {@link #MAX_OUTPUT_BYTES} bytes that ends on a whole character. */
    static String cutUtf8(byte[] bytes) {
        int end = MAX_OUTPUT_BYTES;
        // a UTF-8 continuation byte is 10xxxxxx: step back to the start of the character it belongs to
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
