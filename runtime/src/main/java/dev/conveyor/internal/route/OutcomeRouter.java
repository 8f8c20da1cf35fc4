package dev.conveyor.internal.route;

import dev.conveyor.RecordOutcome;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.kafka.Topics;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.internal.retry.DelayRouter;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
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

/**
 * Turns what an app says became of a record ({@link RecordOutcome}) into the records that make it
 * durable, and writes them: results to {@code tasks.results}, retries to this consumer's delay tiers by
 * the {@link RetryPolicy}, dead letters built by {@link DeadLetters}, delayed tasks towards their run
 * time, every one with headers from {@link OutputHeaders}. One router serves every app, so every app
 * retries, dead-letters and labels its records the same way.
 */
public final class OutcomeRouter {

    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    private final RetryPolicy retries;
    private final DelayRouter delays;
    private final MeterRegistry meters;
    private final Clock clock;

    public OutcomeRouter(RetryTiers<?> tiers, MeterRegistry meters, Clock clock) {
        this.retries = new RetryPolicy(tiers, () -> ThreadLocalRandom.current().nextDouble());
        this.delays = new DelayRouter(tiers.settings());
        this.meters = meters;
        this.clock = clock;
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
        return sendInOrder(route(input, outcome), outbox);
    }

    /**
     * A record no attempt can process ({@code UNDECODABLE} or {@code INVALID_RECORD}) goes to the dead-letter
     * topic with its bytes and the reason, and nothing else is written for it.
     */
    public CompletionStage<?> writeUndecodable(ConsumerRecord<String, byte[]> raw, DeadLetterReason reason, Throwable cause, Outbox outbox) {
        DeadLetter letter = DeadLetters.undecodable(raw, reason, cause, clock.instant());
        return sendInOrder(List.of(deadLetter(raw, letter, null)), outbox);
    }

    /** The records that make {@code outcome} durable, in the order they are written. */
    public List<ProducerRecord<String, SpecificRecord>> route(ConsumerRecord<String, ?> input, RecordOutcome outcome) {
        return switch (outcome) {
            case RecordOutcome.Skip skip -> List.of();
            case RecordOutcome.Result result -> List.of(result(input, result.result()));
            case RecordOutcome.Delay delay -> List.of(delay(input, delay.task()));
            case RecordOutcome.Failure failure -> failure(input, failure);
            case RecordOutcome.GiveUp giveUp -> giveUp(input, giveUp.reason(), scoped(giveUp.channel(), giveUp.error()),
                    giveUp.terminal(), clock.instant());
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

    private List<ProducerRecord<String, SpecificRecord>> failure(ConsumerRecord<String, ?> input, RecordOutcome.Failure failure) {
        Instant now = clock.instant();
        RetryPolicy.Retry retry = retries.next(failure, now);
        String description = Failures.describe(failure.error());
        if (retry == null) {
            return giveUp(input, failure.exhaustedReason(), scoped(failure.channel(), description), failure.terminal(), now);
        }
        List<AttemptFailure> history = FailureHistory.append(FailureHistory.carried(input.headers()), failure.attempt(), now, description);
        return List.of(new ProducerRecord<>(retry.topic(), null, input.key(), failure.next(),
                OutputHeaders.forRetry(input, retry.due(), failure.attempt() + 1, history, failure.error(), failure.channel())));
    }

    /** The dead letter first, then the terminal result if there is one. */
    private List<ProducerRecord<String, SpecificRecord>> giveUp(ConsumerRecord<String, ?> input, DeadLetterReason reason, String error,
                                                                 RecordOutcome.TerminalResult terminal, Instant now) {
        ProducerRecord<String, SpecificRecord> letter = deadLetter(input, DeadLetters.of(input, reason, error, now),
                DeadLetters.taskType(input.value()));
        return terminal == null ? List.of(letter) : List.of(letter, result(input, terminal.failed(reason, error)));
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

    private CompletionStage<?> sendInOrder(List<ProducerRecord<String, SpecificRecord>> records, Outbox outbox) {
        CompletionStage<?> stage = NOTHING;
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<String, SpecificRecord> record = records.get(i);
            stage = i == 0 ? send(record, outbox) : stage.thenCompose(written -> send(record, outbox));
        }
        return stage;
    }

    private CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record, Outbox outbox) {
        CompletionStage<?> sent = outbox.send(record);
        if (record.value() instanceof DeadLetter letter) {
            return sent.thenRun(() -> Counter.builder(MetricNames.RECORDS_DEAD_LETTERED)
                    .tag(MetricNames.TAG_TOPIC, letter.getOriginalTopic())
                    .tag(MetricNames.TAG_REASON, letter.getReason())
                    .register(meters).increment());
        }
        return sent;
    }
}
