package dev.conveyor;

import dev.conveyor.internal.retry.DueTimeCalculator;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.internal.retry.RetryTopicResolver;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a failed task to its delay tier for its next attempt, with the retry headers replaced (not
 * appended) so the record stays the same size however often it fails.
 */
public final class RetryPublisher {

    private final Producer<String, SpecificRecord> producer;
    private final RetryTopicResolver topics;
    private final DueTimeCalculator dueTimes;
    private final Clock clock;

    public RetryPublisher(Producer<String, SpecificRecord> producer, RetrySettings settings, Clock clock) {
        this.producer = producer;
        this.topics = new RetryTopicResolver(settings);
        this.dueTimes = new DueTimeCalculator(settings.jitter(), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = clock;
    }

    /** Failures so far, including the earlier hops of this task. */
    public static List<AttemptFailure> history(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(RetryHeaders.HISTORY);
        return FailureHistory.decode(header == null ? null : header.value());
    }

    /** Writes attempt {@code failed.attempt + 1} of the task to the tier for {@code failed.attempt}. */
    public CompletionStage<RecordMetadata> retry(ConsumerRecord<String, TaskRequest> failed, Throwable error) {
        TaskRequest task = failed.value();
        Instant now = clock.instant();
        int attempt = task.getAttempt();
        TopicDescriptor<TaskRequest> tier = topics.topicAfter(attempt);
        Instant due = dueTimes.dueAt(now, topics.delayAfter(attempt));
        List<AttemptFailure> history = FailureHistory.append(history(failed), attempt, now, Failures.describe(error));
        TaskRequest next = TaskRequest.newBuilder(task).setAttempt(attempt + 1).build();

        Headers headers = new RecordHeaders();
        put(headers, RetryHeaders.DUE, due.toString());
        put(headers, RetryHeaders.ATTEMPT, Integer.toString(attempt + 1));
        put(headers, RetryHeaders.FIRST_FAILURE, history.get(0).getFailedAt().toString());
        put(headers, RetryHeaders.ORIGINAL_TOPIC, originalOr(failed, RetryHeaders.ORIGINAL_TOPIC, failed.topic()));
        put(headers, RetryHeaders.ORIGINAL_PARTITION, originalOr(failed, RetryHeaders.ORIGINAL_PARTITION, Integer.toString(failed.partition())));
        put(headers, RetryHeaders.ORIGINAL_OFFSET, originalOr(failed, RetryHeaders.ORIGINAL_OFFSET, Long.toString(failed.offset())));
        put(headers, RetryHeaders.ERROR_CLASS, rootClass(error));
        put(headers, RetryHeaders.ERROR_MESSAGE, Failures.truncate(Failures.describe(error), 1_024));
        headers.add(RetryHeaders.HISTORY, FailureHistory.encode(history));
        return Sends.send(producer, new ProducerRecord<>(tier.name(), null, failed.key(), next, headers));
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
