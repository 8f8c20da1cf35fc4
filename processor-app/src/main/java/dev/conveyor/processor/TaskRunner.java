package dev.conveyor.processor;

import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.RecordOutcome;
import dev.conveyor.RecordProcessor;
import dev.conveyor.TaskCancelledException;
import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import dev.conveyor.events.EventWriter;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.DelayedTasks;
import dev.conveyor.retry.Failures;
import dev.conveyor.schema.TaskRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task with the handler of its type and says how it ended: its result, a failed attempt (the
 * engine retries it or gives it up), a dead letter, or a hop towards its run time. A handler failure
 * or an unknown type is an outcome, never a crash.
 */
final class TaskRunner implements RecordProcessor<TaskRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(30);

    private final HandlerRegistry handlers;
    private final HandlerLimits limits;
    private final DelayedTasks delayed;
    private final IdempotencyClaims claims;
    private final MeterRegistry meters;
    private final CountersByTwoTags processed;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final TimedInvocation invocation;
    private final TaskEvents events;
    private final EventWriter eventWriter;

    /** @param eventWriter writes {@code STARTED} as a handler starts, outside the record's outputs so the view sees it at once */
    TaskRunner(HandlerRegistry handlers, HandlerLimits limits, DelayedTasks delayed, IdempotencyClaims claims, AttemptWatchdog watchdog,
               MeterRegistry meters, Clock clock, TaskEvents events, EventWriter eventWriter) {
        this.events = events;
        this.eventWriter = eventWriter;
        this.invocation = new TimedInvocation(watchdog);
        this.claims = claims;
        this.handlers = handlers;
        this.limits = limits;
        this.delayed = delayed;
        this.meters = meters;
        this.processed = new CountersByTwoTags(meters, MetricNames.TASKS_PROCESSED, MetricNames.TAG_TYPE, MetricNames.TAG_OUTCOME);
        this.clock = clock;
    }

    @Override
    public RecordOutcome process(ConsumerRecord<String, TaskRequest> record) throws Exception {
        TaskRequest task = record.value();
        if (lostItsIdempotencyKey(record)) {
            // its submitter was told the earlier task's id: nobody waits for this one
            count(task, "duplicate");
            return RecordOutcome.duplicate();
        }
        if (!delayed.isDue(task)) {
            return RecordOutcome.delay(task);
        }
        Instant startedAt = clock.instant();
        Optional<TaskHandler> handler = handlers.find(task.getType());
        if (handler.isEmpty()) {
            count(task, "unknown_type");
            return new RecordOutcome.GiveUp(DeadLetterReason.UNKNOWN_TYPE,
                    "no handler for task type '" + task.getType() + "'; this processor runs " + handlers.types(),
                    failedResult(task, startedAt), null);
        }
        long started = System.nanoTime();
        if (events.startedEnabled()) {
            eventWriter.write(events.started(task, record.headers()));
        }
        try {
            String output = invocation.call(handler.get(), context(task), limits.timeoutFor(task.getType(), task.getTimeoutMs()));
            count(task, "succeeded");
            return RecordOutcome.result(TaskOutcomes.succeeded(task, output, startedAt, clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } catch (TaskCancelledException e) {
            count(task, "cancelled");
            return RecordOutcome.result(TaskOutcomes.cancelled(task, e.getMessage(), startedAt, clock.instant()));
        } catch (NonRetryableTaskException e) {
            count(task, "non_retryable");
            return new RecordOutcome.GiveUp(DeadLetterReason.NON_RETRYABLE, Failures.describe(e), failedResult(task, startedAt), null);
        } catch (Exception e) {
            LOG.debug("attempt {} of task {} ({}) failed", task.getAttempt(), task.getId(), task.getType(), e);
            RecordOutcome.Failure failure = new RecordOutcome.Failure(e, task.getAttempt(),
                    limits.maxAttemptsFor(task.getType(), task.getMaxAttempts()),
                    TaskRequest.newBuilder(task).setAttempt(task.getAttempt() + 1).build(),
                    e instanceof TimedInvocation.TaskTimeoutException ? DeadLetterReason.TIMEOUT : DeadLetterReason.RETRIES_EXHAUSTED,
                    failedResult(task, startedAt), null);
            count(task, failure.exhausted() ? "failed" : "retried");
            return failure;
        } finally {
            processingTimer(task.getType()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** The terminal FAILED result, once the engine has given the task up. */
    private RecordOutcome.TerminalResult failedResult(TaskRequest task, Instant startedAt) {
        return (reason, error) -> TaskOutcomes.failed(task, reason.name(), error, startedAt, clock.instant());
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
        // committed in the task's transaction, so the view reaches it; a timeout fails this try and it is tried again
        claims.reached(claim.get()).get(CLAIM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return claims.lost(record.value().getId());
    }

    private static TaskContext context(TaskRequest task) {
        return new TaskContext(task.getId(), task.getType(), task.getKey(), task.getPayload(), task.getAttempt(),
                task.getMaxAttempts(), task.getHeaders(), task.getSubmittedAt());
    }

    private void count(TaskRequest task, String outcome) {
        processed.increment(task.getType(), outcome);
    }
}
