package dev.conveyor.internal.route;

import dev.conveyor.RecordOutcome;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.internal.retry.DelayRouter;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import dev.conveyor.retry.RetryHeaders;

/**
 * Turns what an app says became of a record ({@link RecordOutcome}) into the records that make it
 * durable, and writes them: results to {@code tasks.results}, retries to this consumer's delay tiers by
 * the {@link RetryPolicy}, dead letters built by {@link DeadLetters}, delayed tasks towards their run
 * time, every one with headers from {@link OutputHeaders}, and the lifecycle events ({@link TaskEvents}) that
 * tell the status view what happened, in the same transaction or before the same offset commit. One router
 * serves every app, so every app retries, dead-letters and labels its records the same way.
 */
public final class OutcomeRouter {

    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);
    /** The type tag of a retried record that is neither a task nor a result. */
    private static final String UNKNOWN_TYPE = "unknown";

    private final RetryPolicy retries;
    private final DelayRouter delays;
    private final MeterRegistry meters;
    private final Clock clock;
    private final TaskEvents events;
    private final RecordSizeLimit sizeLimit;
    private final TaskLatency latency;
    private final CountersByTwoTags retriesScheduled;

    public OutcomeRouter(RetryTiers<?> tiers, MeterRegistry meters, Clock clock) {
        this(tiers, meters, clock, TaskEvents.off());
    }

    public OutcomeRouter(RetryTiers<?> tiers, MeterRegistry meters, Clock clock, TaskEvents events) {
        this(tiers, meters, clock, events, KafkaClients.MAX_REQUEST_BYTES);
    }

    /** @param maxRecordBytes the largest record the producer sends ({@code max.request.size}) */
    public OutcomeRouter(RetryTiers<?> tiers, MeterRegistry meters, Clock clock, TaskEvents events, int maxRecordBytes) {
        this.events = events;
        this.sizeLimit = new RecordSizeLimit(maxRecordBytes);
        this.retries = new RetryPolicy(tiers, () -> ThreadLocalRandom.current().nextDouble());
        this.delays = new DelayRouter(tiers.settings());
        this.meters = meters;
        this.clock = clock;
        this.latency = new TaskLatency(meters, clock);
        this.retriesScheduled = new CountersByTwoTags(meters, MetricNames.RETRIES_SCHEDULED, MetricNames.TAG_TIER, MetricNames.TAG_TYPE);
    }

    /**
     * Writes the records {@code outcome} makes of {@code input} through {@code outbox}; the stage completes
     * when all are written. A terminal result is sent only once its dead letter is written, so a dead
     * letter that fails leaves no result behind; independent outcomes ({@link RecordOutcome.All}) are sent
     * together.
     */
    public CompletionStage<?> write(ConsumerRecord<String, ?> input, RecordOutcome outcome, Outbox outbox) {
        if (outcome instanceof RecordOutcome.Deferred deferred) {
            return deferred.outcome().thenCompose(later -> write(input, later, outbox));
        }
        if (outcome instanceof RecordOutcome.All all) {
            // independent of one another (one per channel): handed to the producer together, from this thread
            CompletableFuture<?>[] writes = new CompletableFuture<?>[all.outcomes().size()];
            for (int i = 0; i < writes.length; i++) {
                writes[i] = write(input, all.outcomes().get(i), outbox).toCompletableFuture();
            }
            return CompletableFuture.allOf(writes);
        }
        return sendAll(route(input, outcome), outbox);
    }

    /**
     * A record no attempt can process ({@code UNDECODABLE} or {@code INVALID_RECORD}) goes to the dead-letter
     * topic with its bytes and the reason, and nothing else is written for it.
     */
    public CompletionStage<?> writeUndecodable(ConsumerRecord<String, byte[]> raw, DeadLetterReason reason, Throwable cause, Outbox outbox) {
        DeadLetter letter = DeadLetters.undecodable(raw, reason, cause, clock.instant());
        return sendAll(List.of(deadLetter(raw, letter, null)), outbox);
    }

    /** The records that make {@code outcome} durable, each followed by its lifecycle event, in the order they are written. */
    public List<ProducerRecord<String, SpecificRecord>> route(ConsumerRecord<String, ?> input, RecordOutcome outcome) {
        return switch (outcome) {
            case RecordOutcome.Skip skip -> List.of();
            case RecordOutcome.Duplicate duplicate -> input.value() instanceof TaskRequest task
                    ? present(events.duplicateSkipped(task, input.headers())) : List.of();
            case RecordOutcome.Delivered delivered -> input.value() instanceof TaskResult result
                    ? present(events.delivered(result, input.headers(), delivered.channel(), RetryHeaders.attempt(input.headers())))
                    : List.of();
            case RecordOutcome.Result result -> resultRecords(input, result.result());
            case RecordOutcome.Delay delay -> List.of(delay(input, delay.task()));
            case RecordOutcome.Failure failure -> failure(input, failure);
            case RecordOutcome.GiveUp giveUp -> giveUp(input, giveUp.reason(), giveUp.error(), giveUp.channel(),
                    attemptOf(input), giveUp.terminal(), clock.instant());
            case RecordOutcome.All all -> {
                List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
                for (RecordOutcome each : all.outcomes()) {
                    records.addAll(route(input, each));
                }
                yield records;
            }
            case RecordOutcome.Deferred deferred -> throw new IllegalArgumentException("a deferred outcome is written once it is known");
        };
    }

    /**
     * The result and its event; a result too large for the producer instead fails its task as
     * {@code OUTPUT_TOO_LARGE}: a dead letter, then the {@code FAILED} result without the output. That
     * result fits, since it carries nothing the task record did not (id, type, key, callback, headers) but
     * a few fixed fields and the error, and the task record was written.
     */
    private List<ProducerRecord<String, SpecificRecord>> resultRecords(ConsumerRecord<String, ?> input, TaskResult result) {
        ProducerRecord<String, SpecificRecord> record = result(input, result);
        long oversize = sizeLimit.oversize(record);
        if (oversize < 0) {
            latency.record(result);
            return present(record, events.terminal(result, input.headers()));
        }
        String error = "the result is " + oversize + " bytes as a Kafka record, more than the " + sizeLimit.maxBytes()
                + " bytes a record may have (max.request.size); its output of "
                + (result.getOutput() == null ? 0 : result.getOutput().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                + " bytes is dropped";
        return giveUp(input, DeadLetterReason.OUTPUT_TOO_LARGE, error, null, attemptOf(input),
                (reason, description) -> TaskResult.newBuilder(result).setStatus(TaskStatus.FAILED).setOutput(null)
                        .setReason(reason.name()).setError(description).build(), clock.instant());
    }

    private List<ProducerRecord<String, SpecificRecord>> failure(ConsumerRecord<String, ?> input, RecordOutcome.Failure failure) {
        Instant now = clock.instant();
        RetryPolicy.Retry retry = retries.next(failure, now);
        String description = Failures.describe(failure.error());
        if (retry == null) {
            return giveUp(input, failure.exhaustedReason(), description, failure.channel(), failure.attempt(), failure.terminal(), now);
        }
        String type = DeadLetters.taskType(input.value());
        retriesScheduled.increment(retry.topic(), type == null ? UNKNOWN_TYPE : type);
        List<AttemptFailure> history = FailureHistory.append(FailureHistory.carried(input.headers()), failure.attempt(), now, description);
        ProducerRecord<String, SpecificRecord> next = new ProducerRecord<>(retry.topic(), null, input.key(), failure.next(),
                OutputHeaders.forRetry(input, retry.due(), failure.attempt() + 1, history, failure.error(), failure.channel()));
        ProducerRecord<String, SpecificRecord> event = switch (input.value()) {
            case TaskRequest task -> events.retryScheduled(task, input.headers(), failure.attempt(), description, retry.due(), retry.topic());
            case TaskResult result -> events.deliveryRetryScheduled(result, input.headers(), failure.channel(), failure.attempt(),
                    description, retry.due(), retry.topic());
            default -> null;
        };
        return present(next, event);
    }

    /** The dead letter and its event first, then the terminal result and its event if there is one. */
    private List<ProducerRecord<String, SpecificRecord>> giveUp(ConsumerRecord<String, ?> input, DeadLetterReason reason, String error,
                                                                 String channel, int attempt, RecordOutcome.TerminalResult terminal,
                                                                 Instant now) {
        String scopedError = scoped(channel, error);
        ProducerRecord<String, SpecificRecord> letter = deadLetter(input, DeadLetters.of(input, reason, scopedError, now),
                DeadLetters.taskType(input.value()));
        ProducerRecord<String, SpecificRecord> event = switch (input.value()) {
            case TaskRequest task -> events.deadLettered(task, input.headers(), attempt, reason.name(), scopedError);
            case TaskResult result -> events.deliveryFailed(result, input.headers(), channel, attempt, reason.name(), error);
            default -> null;
        };
        if (terminal == null) {
            return present(letter, event);
        }
        TaskResult failed = terminal.failed(reason, scopedError);
        latency.record(failed);
        return present(letter, event, result(input, failed), events.terminal(failed, input.headers()));
    }

    /** The attempt an input record is: a task says it, a result's delivery attempt is in its retry headers. */
    private static int attemptOf(ConsumerRecord<String, ?> input) {
        return input.value() instanceof TaskRequest task ? task.getAttempt() : RetryHeaders.attempt(input.headers());
    }

    /** The records that are not null (events are null when they are off), in order. */
    @SafeVarargs
    private static List<ProducerRecord<String, SpecificRecord>> present(ProducerRecord<String, SpecificRecord>... records) {
        List<ProducerRecord<String, SpecificRecord>> list = new ArrayList<>(records.length);
        for (ProducerRecord<String, SpecificRecord> record : records) {
            if (record != null) {
                list.add(record);
            }
        }
        return list;
    }

    private static ProducerRecord<String, SpecificRecord> result(ConsumerRecord<String, ?> input, TaskResult result) {
        return new ProducerRecord<>(Topics.RESULTS.name(), null, result.getKey(), result, OutputHeaders.forResult(input));
    }

    private ProducerRecord<String, SpecificRecord> delay(ConsumerRecord<String, ?> input, TaskRequest task) {
        DelayRouter.Hop hop = delays.next(clock.instant(), task.getRunAt());
        return new ProducerRecord<>(hop.topic().name(), null, input.key(), task, OutputHeaders.forDelay(input, hop.due(), task.getType()));
    }

    private static ProducerRecord<String, SpecificRecord> deadLetter(ConsumerRecord<String, ?> input, DeadLetter letter, String taskType) {
        return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null, input.key(), letter, OutputHeaders.forDeadLetter(input, letter, taskType));
    }

    private static String scoped(String channel, String error) {
        return channel == null ? error : channel + ": " + error;
    }

    /**
     * Outputs are sent one after another (a result only once its dead letter is written); an event goes
     * alongside, except {@code DEAD_LETTERED}, which follows its letter to name the letter's position when
     * the send reports it (at-least-once; under exactly-once the position is known only at commit).
     */
    private CompletionStage<?> sendAll(List<ProducerRecord<String, SpecificRecord>> records, Outbox outbox) {
        CompletionStage<?> chain = null;
        List<CompletableFuture<?>> alongside = new ArrayList<>(records.size());
        for (ProducerRecord<String, SpecificRecord> record : records) {
            if (record.value() instanceof TaskEvent event && (event.getKind() != TaskEventKind.DEAD_LETTERED || chain == null)) {
                alongside.add(outbox.send(record).toCompletableFuture());
            } else if (record.value() instanceof TaskEvent event) {
                chain = chain.thenCompose(letterSent -> {
                    if (letterSent instanceof RecordMetadata letter && letter.hasOffset()) {
                        event.setDeadLetterPartition(letter.partition());
                        event.setDeadLetterOffset(letter.offset());
                    }
                    return outbox.send(record);
                });
            } else {
                chain = chain == null ? send(record, outbox) : chain.thenCompose(written -> send(record, outbox));
            }
        }
        if (alongside.isEmpty()) {
            return chain == null ? NOTHING : chain;
        }
        if (chain != null) {
            alongside.add(chain.toCompletableFuture());
        }
        return alongside.size() == 1 ? alongside.get(0) : CompletableFuture.allOf(alongside.toArray(CompletableFuture<?>[]::new));
    }

    private CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record, Outbox outbox) {
        CompletionStage<?> sent = outbox.send(record);
        if (record.value() instanceof DeadLetter letter) {
            return sent.thenApply(metadata -> {
                Counter.builder(MetricNames.RECORDS_DEAD_LETTERED)
                        .tag(MetricNames.TAG_TOPIC, letter.getOriginalTopic())
                        .tag(MetricNames.TAG_REASON, letter.getReason())
                        .register(meters).increment();
                return metadata;
            });
        }
        return sent;
    }
}
