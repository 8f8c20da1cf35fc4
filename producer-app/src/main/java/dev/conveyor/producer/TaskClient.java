package dev.conveyor.producer;

import dev.conveyor.MetricNames;
import dev.conveyor.Sends;
import dev.conveyor.Topics;
import dev.conveyor.schema.TaskRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Submits tasks straight to Kafka from a JVM service, with the same contract as
 * {@code POST /tasks}: validated, given a UUID, keyed by the task key (else the id), written with
 * {@code acks=all} and idempotence. Thread-safe; share one per service.
 */
public final class TaskClient {

    private final Producer<String, TaskRequest> producer;
    private final int maxPayloadBytes;
    private final Clock clock;
    private final MeterRegistry meters;
    private final dev.conveyor.DelayedTasks delayed;

    public TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters) {
        this(producer, maxPayloadBytes, clock, meters, dev.conveyor.RetrySettings.defaults());
    }

    /** @param tiers the delay tiers delayed tasks wait in: the processor's {@code RETRY_TIERS} */
    public TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters,
                      dev.conveyor.RetrySettings tiers) {
        this.delayed = new dev.conveyor.DelayedTasks(tiers, clock);
        this.producer = producer;
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
        this.meters = meters;
    }

    /** Completes once the broker acknowledged the task; fails with {@link SubmissionFailedException} if it did not. */
    public CompletableFuture<SubmittedTask> submitAsync(TaskSubmission submission) {
        int payloadBytes = submission.payload().getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > maxPayloadBytes) {
            throw new PayloadTooLargeException(payloadBytes, maxPayloadBytes);
        }
        String id = UUID.randomUUID().toString();
        String key = submission.key() == null ? id : submission.key();
        TaskRequest request = TaskRequest.newBuilder()
                .setId(id)
                .setType(submission.type())
                .setKey(key)
                .setPayload(submission.payload())
                .setSubmittedAt(clock.instant())
                .setAttempt(1)
                // 0: the processor's MAX_ATTEMPTS applies
                .setMaxAttempts(submission.maxAttempts() == null ? 0 : submission.maxAttempts())
                .setCallbackUrl(submission.callbackUrl())
                .setHeaders(submission.headers())
                .setTimeoutMs(submission.timeout() == null ? null : submission.timeout().toMillis())
                .setRunAt(submission.runAt())
                .build();
        // a delayed task goes straight to the delay tiers, so it never pauses a partition of tasks
        ProducerRecord<String, TaskRequest> record = delayed.isDue(request)
                ? new ProducerRecord<>(Topics.TASKS.name(), key, request) : delayed.nextHop(key, request);
        return Sends.send(producer, record)
                .handle((metadata, failure) -> {
                    if (failure != null) {
                        throw new SubmissionFailedException("Kafka did not accept task " + id + ": " + failure.getMessage(), failure);
                    }
                    Counter.builder(MetricNames.TASKS_SUBMITTED).tag(MetricNames.TAG_TYPE, submission.type())
                            .register(meters).increment();
                    return new SubmittedTask(id, key, metadata.partition(), metadata.offset());
                });
    }

    /** Blocks at most {@code timeout} for the acknowledgement. */
    public SubmittedTask submit(TaskSubmission submission, Duration timeout) {
        CompletableFuture<SubmittedTask> pending = submitAsync(submission);
        try {
            return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SubmissionFailedException("Kafka did not acknowledge the task within " + timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SubmissionFailedException failed) {
                throw failed;
            }
            throw new SubmissionFailedException("submission failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmissionFailedException("interrupted while submitting", e);
        }
    }
}
