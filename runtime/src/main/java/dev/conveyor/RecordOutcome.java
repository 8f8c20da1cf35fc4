package dev.conveyor;

import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;

/**
 * What became of one record, as a {@link RecordProcessor} says it. The consumer engine's router turns
 * it into the records to write (a result, a retry in a delay tier, a dead letter, a hop towards a run
 * time) with the same headers, retry rules and dead-letter rules for every app, and writes them with the
 * record's offset.
 */
public sealed interface RecordOutcome {

    /** Nothing to write: the record is done (a duplicate, a result no channel wanted, a delivery made). */
    static RecordOutcome skip() {
        return Skip.INSTANCE;
    }

    /** A task that does not run because an earlier one holds its idempotency key: nothing is written but its event. */
    static RecordOutcome duplicate() {
        return Duplicate.INSTANCE;
    }

    /** A result was delivered through {@code channel}: nothing is written but its event. */
    static RecordOutcome delivered(String channel) {
        return new Delivered(channel);
    }

    /** The task's terminal result, written to {@code tasks.results}. */
    static RecordOutcome result(TaskResult result) {
        return new Result(result);
    }

    /** The task is not due yet: it waits in the delay tier that fits its run time. */
    static RecordOutcome delay(TaskRequest task) {
        return new Delay(task);
    }

    /** Several outcomes of one record, written in this order: e.g. one per notification channel. */
    static RecordOutcome all(List<RecordOutcome> outcomes) {
        return outcomes.size() == 1 ? outcomes.get(0) : new All(outcomes);
    }

    /** The outcome is known later (asynchronous work); the record waits for it without holding a thread. */
    static RecordOutcome deferred(CompletionStage<? extends RecordOutcome> outcome) {
        return new Deferred(outcome);
    }

    /** Builds a task's terminal {@code FAILED} result once the router has chosen the reason and described the error. */
    @FunctionalInterface
    interface TerminalResult {
        TaskResult failed(DeadLetterReason reason, String error);
    }

    record Skip() implements RecordOutcome {
        private static final Skip INSTANCE = new Skip();
    }

    record Duplicate() implements RecordOutcome {
        private static final Duplicate INSTANCE = new Duplicate();
    }

    record Delivered(String channel) implements RecordOutcome {
        public Delivered {
            Objects.requireNonNull(channel, "channel");
        }
    }

    record Result(TaskResult result) implements RecordOutcome {
        public Result {
            Objects.requireNonNull(result, "result");
        }
    }

    record Delay(TaskRequest task) implements RecordOutcome {
        public Delay {
            Objects.requireNonNull(task.getRunAt(), "a delayed task has a run time");
        }
    }

    /**
     * An attempt failed and a later one may succeed. Unless it is {@link #exhausted()}, the router writes
     * {@code next} (attempt {@code attempt + 1}) to the delay tier of {@code attempt}; once exhausted it
     * dead-letters the record with {@code exhaustedReason} and, if {@code terminal} is not null, writes the
     * task's terminal result after the letter.
     *
     * @param channel the notification channel this attempt was for when one record has several deliveries, else null
     */
    record Failure(Throwable error, int attempt, int maxAttempts, SpecificRecord next, DeadLetterReason exhaustedReason,
                   TerminalResult terminal, String channel) implements RecordOutcome {

        public Failure {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(exhaustedReason, "exhaustedReason");
            // attempts are 1-based; a record written by another producer may say otherwise, and must still be routed
            attempt = Math.max(1, attempt);
        }

        /** The one attempt-limit rule: the attempt that reaches the limit is the last. */
        public boolean exhausted() {
            return attempt >= maxAttempts;
        }
    }

    /**
     * Dead-letter the record now, since no attempt can succeed (an unknown type, a refusal), and write
     * the terminal result {@code terminal} builds after the letter if it is not null.
     *
     * @param error what went wrong, as text (see {@link dev.conveyor.retry.Failures#describe})
     */
    record GiveUp(DeadLetterReason reason, String error, TerminalResult terminal, String channel) implements RecordOutcome {
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(error, "error");
        }
    }

    record All(List<RecordOutcome> outcomes) implements RecordOutcome {
        public All {
            outcomes = List.copyOf(outcomes);
        }
    }

    record Deferred(CompletionStage<? extends RecordOutcome> outcome) implements RecordOutcome {
        public Deferred {
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
