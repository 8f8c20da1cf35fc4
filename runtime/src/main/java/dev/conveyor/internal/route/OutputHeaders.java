package dev.conveyor.internal.route;

import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of every record the router writes, set in one place. Each output starts from fresh
 * headers (never the input's), so a record does not grow with its hops and an idempotency claim, which
 * only a task's first record carries, is not copied. The W3C trace context is carried to every output;
 * the task type only to task records (retries, delay hops), where the engine orders by it: results are
 * ordered by the notifier's default mode.
 */
final class OutputHeaders {

    private OutputHeaders() {
    }

    /** A retry in a delay tier: when it is due, which attempt it is, where the task first was, what failed so far. */
    static Headers forRetry(ConsumerRecord<String, ?> input, Instant due, int nextAttempt, List<AttemptFailure> history,
                            Throwable error, String channel) {
        Headers headers = traced(input);
        copy(input, headers, TaskHeaders.TYPE);
        put(headers, RetryHeaders.DUE, due.toString());
        put(headers, RetryHeaders.ATTEMPT, Integer.toString(nextAttempt));
        put(headers, RetryHeaders.FIRST_FAILURE, history.get(0).getFailedAt().toString());
        OriginalPosition original = OriginalPosition.of(input);
        put(headers, RetryHeaders.ORIGINAL_TOPIC, original.topic());
        put(headers, RetryHeaders.ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(headers, RetryHeaders.ORIGINAL_OFFSET, Long.toString(original.offset()));
        String description = Failures.describe(error);
        put(headers, RetryHeaders.ERROR_CLASS, description.split(":", 2)[0]);
        put(headers, RetryHeaders.ERROR_MESSAGE, Failures.truncate(description, 1_024));
        headers.add(RetryHeaders.HISTORY, FailureHistory.encode(history));
        if (channel != null) {
            put(headers, RetryHeaders.CHANNEL, channel);
        }
        return headers;
    }

    /** A delayed task's next hop: its type and when it is due. */
    static Headers forDelay(ConsumerRecord<String, ?> input, Instant due, String type) {
        Headers headers = traced(input);
        TaskHeaders.putType(headers, type);
        put(headers, RetryHeaders.DUE, due.toString());
        return headers;
    }

    /** Only the trace context and run, if the input has either; null (no headers) otherwise, as most results are. */
    static Headers forResult(ConsumerRecord<String, ?> input) {
        return input.headers().lastHeader(TaskHeaders.TRACEPARENT) == null && input.headers().lastHeader(TaskHeaders.RUN) == null
                ? null : traced(input);
    }

    /** What tools filter dead letters by, readable without decoding the value. */
    static Headers forDeadLetter(ConsumerRecord<String, ?> input, DeadLetter letter, String taskType) {
        Headers headers = traced(input);
        put(headers, DeadLetterHeaders.REASON, letter.getReason());
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, letter.getOriginalTopic());
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(letter.getOriginalPartition()));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(letter.getOriginalOffset()));
        if (taskType != null) {
            put(headers, DeadLetterHeaders.TASK_TYPE, taskType);
        }
        return headers;
    }

    /** Fresh headers with the input's trace context and run. */
    private static Headers traced(ConsumerRecord<String, ?> input) {
        RecordHeaders headers = new RecordHeaders();
        copy(input, headers, TaskHeaders.TRACEPARENT);
        copy(input, headers, TaskHeaders.TRACESTATE);
        copy(input, headers, TaskHeaders.RUN);
        return headers;
    }

    private static void copy(ConsumerRecord<String, ?> input, Headers headers, String key) {
        Header header = input.headers().lastHeader(key);
        if (header != null) {
            headers.add(key, header.value());
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
