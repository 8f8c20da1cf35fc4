package dev.conveyor;

import dev.conveyor.kafka.Sends;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.internal.retry.DueTimeCalculator;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.internal.retry.RetryTopicResolver;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a failed record to its delay tier for its next attempt, with the retry headers replaced (not
 * appended) so the record stays the same size however often it fails. The processor retries tasks
 * through it, the notifier deliveries.
 */
public final class RetryPublisher<V extends SpecificRecord> {

    private final RetryTopicResolver<V> topics;
    private final DueTimeCalculator dueTimes;
    private final Clock clock;

    public RetryPublisher(RetryTopicResolver<V> topics, double jitter, Clock clock) {
        this.topics = topics;
        this.dueTimes = new DueTimeCalculator(jitter, () -> ThreadLocalRandom.current().nextDouble());
        this.clock = clock;
    }

    /** Retries of tasks over {@code tasks.retry.*}. */
    public static RetryPublisher<TaskRequest> forTasks(RetrySettings settings, Clock clock) {
        return new RetryPublisher<>(RetryTopicResolver.forTasks(settings), settings.jitter(), clock);
    }

    /** Failures so far, including the earlier hops of this record. */
    public static List<AttemptFailure> history(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(RetryHeaders.HISTORY);
        return FailureHistory.decode(header == null ? null : header.value());
    }

    /** The attempt this record is: its retry header, else 1 (a first attempt carries none). */
    public static int attemptOf(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(RetryHeaders.ATTEMPT);
        try {
            return header == null ? 1 : Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException malformed) {
            return 1;
        }
    }

    /**
     * Writes {@code next} (attempt {@code failedAttempt + 1}) to the tier for {@code failedAttempt}.
     * {@code extraHeaders} travel with it, replaced like the others.
     */
    public CompletionStage<?> retry(Outbox outbox, ConsumerRecord<String, ?> failed, int failedAttempt, V next, Throwable error,
                                    Map<String, String> extraHeaders) {
        Instant now = clock.instant();
        TopicDescriptor<V> tier = topics.topicAfter(failedAttempt);
        Instant due = dueTimes.dueAt(now, topics.delayAfter(failedAttempt));
        List<AttemptFailure> history = FailureHistory.append(history(failed), failedAttempt, now, Failures.describe(error));

        Headers headers = new RecordHeaders();
        put(headers, RetryHeaders.DUE, due.toString());
        put(headers, RetryHeaders.ATTEMPT, Integer.toString(failedAttempt + 1));
        put(headers, RetryHeaders.FIRST_FAILURE, history.get(0).getFailedAt().toString());
        put(headers, RetryHeaders.ORIGINAL_TOPIC, originalOr(failed, RetryHeaders.ORIGINAL_TOPIC, failed.topic()));
        put(headers, RetryHeaders.ORIGINAL_PARTITION, originalOr(failed, RetryHeaders.ORIGINAL_PARTITION, Integer.toString(failed.partition())));
        put(headers, RetryHeaders.ORIGINAL_OFFSET, originalOr(failed, RetryHeaders.ORIGINAL_OFFSET, Long.toString(failed.offset())));
        put(headers, RetryHeaders.ERROR_CLASS, rootClass(error));
        put(headers, RetryHeaders.ERROR_MESSAGE, Failures.truncate(Failures.describe(error), 1_024));
        headers.add(RetryHeaders.HISTORY, FailureHistory.encode(history));
        String type = TaskHeaders.type(failed.headers());
        if (type != null) {
            TaskHeaders.putType(headers, type);
        }
        extraHeaders.forEach((key, value) -> put(headers, key, value));
        return outbox.send(new ProducerRecord<>(tier.name(), null, failed.key(), next, headers));
    }

    private static String originalOr(ConsumerRecord<String, ?> record, String header, String fallback) {
        Header h = record.headers().lastHeader(header);
        return h == null ? fallback : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String rootClass(Throwable error) {
        return Failures.describe(error).split(":", 2)[0];
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
