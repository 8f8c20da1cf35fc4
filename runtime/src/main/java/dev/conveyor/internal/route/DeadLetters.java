package dev.conveyor.internal.route;

import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds every {@link DeadLetter}, for every app, by the same rules: the original position is
 * {@link OriginalPosition}'s, the history is the failures the record carries plus this one, a task's
 * request is kept as submitted (attempt 1, so a replay starts afresh), and an undecodable record's bytes
 * are kept as they were. Pure.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    /** A decoded record given up with {@code reason}; {@code error} is already described. */
    static DeadLetter of(ConsumerRecord<String, ?> record, DeadLetterReason reason, String error, Instant at) {
        OriginalPosition original = OriginalPosition.of(record);
        List<AttemptFailure> history = FailureHistory.append(FailureHistory.carried(record.headers()), attemptOf(record), at, error);
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setError(error)
                .setFailedAt(at)
                .setOriginalTopic(original.topic())
                .setOriginalPartition(original.partition())
                .setOriginalOffset(original.offset())
                .setOriginalKey(keyBytes(record.key()))
                .setOriginalValue(null)
                .setRequest(record.value() instanceof TaskRequest task ? TaskRequest.newBuilder(task).setAttempt(1).build() : null)
                .setHistory(history)
                .build();
    }

    /** A poison pill: kept byte for byte at its own position, with its reason and what the decoder said. */
    static DeadLetter undecodable(ConsumerRecord<String, byte[]> raw, DeadLetterReason reason, Throwable cause, Instant at) {
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setError(Failures.describe(cause))
                .setFailedAt(at)
                .setOriginalTopic(raw.topic())
                .setOriginalPartition(raw.partition())
                .setOriginalOffset(raw.offset())
                .setOriginalKey(keyBytes(raw.key()))
                .setOriginalValue(raw.value() == null ? null : ByteBuffer.wrap(raw.value()))
                .setRequest(null)
                .setHistory(List.of())
                .build();
    }

    /** The task type of a decoded record, for the dead letter's header. */
    static String taskType(Object value) {
        if (value instanceof TaskRequest task) {
            return task.getType();
        }
        return value instanceof TaskResult result ? result.getType() : null;
    }

    /** A task carries its attempt in its value; a delivery in its retry header. */
    private static int attemptOf(ConsumerRecord<String, ?> record) {
        return record.value() instanceof TaskRequest task ? task.getAttempt() : RetryHeaders.attempt(record.headers());
    }

    private static ByteBuffer keyBytes(String key) {
        return key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
