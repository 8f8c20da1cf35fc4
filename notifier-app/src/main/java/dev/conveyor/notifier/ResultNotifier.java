package dev.conveyor.notifier;

import dev.conveyor.DeliveryRefusedException;
import dev.conveyor.NotificationChannel;
import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.DeadLetterPublisher;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.Failures;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.Outbox;
import dev.conveyor.RecordProcessor;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.RetryPublisher;
import dev.conveyor.internal.retry.FailureHistory;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one result through every channel that accepts it, one attempt each. A failed attempt
 * waits in the notifier's delay tiers for the next one, for that channel only, without holding back
 * the other results of its partition; after the last allowed attempt, or when the receiver refuses
 * the result, the delivery is dead-lettered with its failure history.
 */
final class ResultNotifier implements RecordProcessor<TaskResult> {

    private static final Logger LOG = LoggerFactory.getLogger(ResultNotifier.class);
    private static final CompletableFuture<Void> DELIVERED = CompletableFuture.completedFuture(null);

    private final List<NotificationChannel> channels;
    private final RetryPublisher<TaskResult> retries;
    private final DeadLetterPublisher deadLetters;
    private final int maxAttempts;
    private final CountersByTwoTags notified;
    private final Clock clock;

    ResultNotifier(List<NotificationChannel> channels, RetryPublisher<TaskResult> retries, DeadLetterPublisher deadLetters,
                   int maxAttempts, MeterRegistry meters, Clock clock) {
        this.channels = List.copyOf(channels);
        this.retries = retries;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.notified = new CountersByTwoTags(meters, MetricNames.RESULTS_NOTIFIED, MetricNames.TAG_CHANNEL, MetricNames.TAG_OUTCOME);
        this.clock = clock;
    }

    @Override
    public CompletionStage<?> process(ConsumerRecord<String, TaskResult> record, Outbox outbox) throws InterruptedException {
        TaskResult result = record.value();
        String onlyFor = header(record, NotifyHeaders.CHANNEL);
        int attempt = RetryPublisher.attemptOf(record);
        // most results need no write: no list, no combined future for them
        List<CompletableFuture<?>> writes = null;
        for (NotificationChannel channel : channels) {
            if ((onlyFor != null && !onlyFor.equals(channel.name())) || !channel.accepts(result)) {
                continue;
            }
            String outcome;
            try {
                channel.deliver(result);
                outcome = "delivered";
            } catch (InterruptedException e) {
                throw e;
            } catch (DeliveryRefusedException e) {
                LOG.warn("the receiver refused the result of task {} through {}: {}", result.getTaskId(), channel.name(), e.getMessage());
                outcome = "refused";
                writes = plus(writes, giveUp(outbox, record, channel, DeadLetterReason.DELIVERY_REFUSED, e, attempt));
            } catch (Exception e) {
                if (attempt < maxAttempts) {
                    outcome = "retried";
                    writes = plus(writes, retries.retry(outbox, record, attempt, result, e, Map.of(NotifyHeaders.CHANNEL, channel.name()))
                            .toCompletableFuture());
                } else {
                    LOG.warn("giving up on the result of task {} through {} after {} attempts: {}",
                            result.getTaskId(), channel.name(), attempt, e.getMessage());
                    outcome = "failed";
                    writes = plus(writes, giveUp(outbox, record, channel, DeadLetterReason.DELIVERY_FAILED, e, attempt));
                }
            }
            notified.increment(channel.name(), outcome);
        }
        return writes == null ? DELIVERED : CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private static List<CompletableFuture<?>> plus(List<CompletableFuture<?>> writes, CompletableFuture<?> write) {
        List<CompletableFuture<?>> all = writes == null ? new ArrayList<>(1) : writes;
        all.add(write);
        return all;
    }

    private CompletableFuture<?> giveUp(Outbox outbox, ConsumerRecord<String, TaskResult> record, NotificationChannel channel,
                                        DeadLetterReason reason, Exception error, int attempt) {
        Instant now = clock.instant();
        String description = channel.name() + ": " + Failures.describe(error);
        String originalTopic = header(record, RetryHeaders.ORIGINAL_TOPIC);
        String originalPartition = header(record, RetryHeaders.ORIGINAL_PARTITION);
        String originalOffset = header(record, RetryHeaders.ORIGINAL_OFFSET);
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason.name())
                .setError(description)
                .setFailedAt(now)
                .setOriginalTopic(originalTopic == null ? record.topic() : originalTopic)
                .setOriginalPartition(originalPartition == null ? record.partition() : Integer.parseInt(originalPartition))
                .setOriginalOffset(originalOffset == null ? record.offset() : Long.parseLong(originalOffset))
                .setOriginalKey(DeadLetterPublisher.keyBytes(record.key()))
                .setOriginalValue(null)
                .setRequest(null)
                .setHistory(FailureHistory.append(RetryPublisher.history(record), attempt, now, description))
                .build();
        return deadLetters.publish(outbox, record.key(), letter, record.value().getType()).toCompletableFuture();
    }

    private static String header(ConsumerRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
