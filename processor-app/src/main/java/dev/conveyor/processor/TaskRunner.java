package dev.conveyor.processor;

import dev.conveyor.DeadLetterPublisher;
import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.DelayedTasks;
import dev.conveyor.retry.Failures;
import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.RetryPublisher;
import dev.conveyor.TaskCancelledException;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.RecordProcessor;
import dev.conveyor.Outbox;
import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task with the handler of its type and writes its result to {@code tasks.results}. The
 * returned stage completes when the result is acknowledged, so the task's offset is committed only
 * after its outcome is durable. A handler failure or an unknown type is an outcome, never a crash.
 */
final class TaskRunner implements RecordProcessor<TaskRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(30);

    private final HandlerRegistry handlers;
    private final DeadLetterPublisher deadLetters;
    private final RetryPublisher<TaskRequest> retries;
    private final HandlerLimits limits;
    private final DelayedTasks delayed;
    private final IdempotencyClaims claims;
    private final MeterRegistry meters;
    private final CountersByTwoTags processed;
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;
    private final TimedInvocation invocation;

    TaskRunner(HandlerRegistry handlers, DeadLetterPublisher deadLetters, RetryPublisher<TaskRequest> retries, HandlerLimits limits,
               DelayedTasks delayed, IdempotencyClaims claims, AttemptWatchdog watchdog, MeterRegistry meters, Clock clock) {
        this.invocation = new TimedInvocation(watchdog);
        this.claims = claims;
        this.handlers = handlers;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.limits = limits;
        this.delayed = delayed;
        this.meters = meters;
        this.processed = new CountersByTwoTags(meters, MetricNames.TASKS_PROCESSED, MetricNames.TAG_TYPE, MetricNames.TAG_OUTCOME);
        this.clock = clock;
    }

    @Override
    public CompletionStage<?> process(ConsumerRecord<String, TaskRequest> record, Outbox outbox) throws Exception {
        TaskRequest task = record.value();
        if (lostItsIdempotencyKey(record)) {
            // its submitter was told the earlier task's id: nobody waits for this one
            count(task, "duplicate");
            return CompletableFuture.completedFuture(null);
        }
        if (!delayed.isDue(task)) {
            return outbox.send(delayed.nextHop(record.key(), task));
        }
        Instant startedAt = clock.instant();
        Optional<TaskHandler> handler = handlers.find(task.getType());
        if (handler.isEmpty()) {
            String error = "no handler for task type '" + task.getType() + "'; this processor runs " + handlers.types();
            count(task, "unknown_type");
            DeadLetter letter = deadLetter(record, DeadLetterReason.UNKNOWN_TYPE, error, startedAt);
            return deadLetters.publish(outbox, record.key(), letter, task.getType())
                    .thenCompose(ignored -> publish(outbox, TaskOutcomes.failed(task, DeadLetterReason.UNKNOWN_TYPE.name(), error,
                            startedAt, clock.instant())));
        }
        long started = System.nanoTime();
        try {
            String output = invocation.call(handler.get(), context(task),
                    limits.timeoutFor(task.getType(), task.getTimeoutMs()));
            count(task, "succeeded");
            return publish(outbox, TaskOutcomes.succeeded(task, output, startedAt, clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (TaskCancelledException e) {
            count(task, "cancelled");
            return publish(outbox, TaskOutcomes.cancelled(task, e.getMessage(), startedAt, clock.instant()));
        } catch (NonRetryableTaskException e) {
            count(task, "non_retryable");
            return giveUp(outbox, record, DeadLetterReason.NON_RETRYABLE, e, startedAt);
        } catch (Exception e) {
            LOG.debug("attempt {} of task {} ({}) failed", task.getAttempt(), task.getId(), task.getType(), e);
            if (task.getAttempt() < maxAttempts(task)) {
                count(task, "retried");
                return retries.retry(outbox, record, task.getAttempt(), TaskRequest.newBuilder(task).setAttempt(task.getAttempt() + 1).build(),
                        e, java.util.Map.of());
            }
            count(task, "failed");
            return giveUp(outbox, record, e instanceof TimedInvocation.TaskTimeoutException ? DeadLetterReason.TIMEOUT
                    : DeadLetterReason.RETRIES_EXHAUSTED, e, startedAt);
        } finally {
            processingTimer(task.getType()).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer processingTimer(String type) {
        Timer timer = timers.get(type);
        return timer != null ? timer : timers.computeIfAbsent(type, t -> Timer.builder(MetricNames.TASK_PROCESSING)
                .tag(MetricNames.TAG_TYPE, t).publishPercentileHistogram().register(meters));
    }

    /** Only the first encounter carries the claim position; retry and delay hops are the winner's own. */
    private boolean lostItsIdempotencyKey(ConsumerRecord<String, TaskRequest> record) throws Exception {
        if (record.value().getIdempotencyKey() == null) {
            return false;
        }
        Optional<IdempotencyClaims.Position> claim = IdempotencyClaims.Position.of(record.headers());
        if (claim.isEmpty()) {
            return false;
        }
        // committed in the task's transaction, so the view reaches it; a timeout fails this try and it is retried
        claims.reached(claim.get()).get(CLAIM_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return claims.lost(record.value().getId());
    }

    private int maxAttempts(TaskRequest task) {
        return limits.maxAttemptsFor(task.getType(), task.getMaxAttempts());
    }

    /** The dead letter (with every failure so far) first, then the terminal FAILED result. */
    private CompletionStage<?> giveUp(Outbox outbox, ConsumerRecord<String, TaskRequest> record, DeadLetterReason reason, Exception error,
                                      Instant startedAt) {
        TaskRequest task = record.value();
        Instant now = clock.instant();
        String description = Failures.describe(error);
        List<AttemptFailure> history = FailureHistory.append(RetryPublisher.history(record), task.getAttempt(), now, description);
        DeadLetter letter = DeadLetter.newBuilder(deadLetter(record, reason, description, now)).setHistory(history).build();
        return deadLetters.publish(outbox, record.key(), letter, task.getType())
                .thenCompose(ignored -> publish(outbox, TaskOutcomes.failed(task, reason.name(), description, startedAt, clock.instant())));
    }

    private static CompletionStage<?> publish(Outbox outbox, TaskResult result) {
        return outbox.send(new ProducerRecord<>(Topics.RESULTS.name(), result.getKey(), result));
    }

    private static TaskContext context(TaskRequest task) {
        return new TaskContext(task.getId(), task.getType(), task.getKey(), task.getPayload(), task.getAttempt(),
                task.getMaxAttempts(), task.getHeaders(), task.getSubmittedAt());
    }

    private DeadLetter deadLetter(ConsumerRecord<String, TaskRequest> record, DeadLetterReason reason, String error, Instant at) {
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setError(error)
                .setFailedAt(at)
                .setOriginalTopic(record.topic())
                .setOriginalPartition(record.partition())
                .setOriginalOffset(record.offset())
                .setOriginalKey(DeadLetterPublisher.keyBytes(record.key()))
                .setOriginalValue(null)
                // the request as submitted: attempt numbers belong to the history
                .setRequest(TaskRequest.newBuilder(record.value()).setAttempt(1).build())
                .setHistory(List.of(AttemptFailure.newBuilder().setAttempt(record.value().getAttempt()).setFailedAt(at).setError(error).build()))
                .build();
    }

    private void count(TaskRequest task, String outcome) {
        processed.increment(task.getType(), outcome);
    }
}
