package dev.conveyor.notifier;

import dev.conveyor.DeliveryAttempt;
import dev.conveyor.DeliveryBlockedException;
import dev.conveyor.DeliveryRefusedException;
import dev.conveyor.NotificationChannel;
import dev.conveyor.RecordOutcome;
import dev.conveyor.RecordProcessor;
import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.schema.TaskResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one result through every channel that accepts it, one attempt each, and says how each
 * delivery ended: a failed attempt is retried by the engine in the notifier's delay tiers for that
 * channel only, without holding back the other results of its partition; after the last allowed
 * attempt, or when the receiver refuses the result, the delivery is dead-lettered with its history; a
 * delivery the channel's policy blocks (e.g. a webhook to an internal address) is dead-lettered at once
 * as {@code DELIVERY_BLOCKED} and counted.
 */
final class ResultNotifier implements RecordProcessor<TaskResult> {

    private static final Logger LOG = LoggerFactory.getLogger(ResultNotifier.class);

    private final List<NotificationChannel> channels;
    private final int maxAttempts;
    private final CountersByTwoTags notified;
    private final CountersByTwoTags blocked;

    ResultNotifier(List<NotificationChannel> channels, int maxAttempts, MeterRegistry meters) {
        this.channels = List.copyOf(channels);
        this.maxAttempts = maxAttempts;
        this.notified = new CountersByTwoTags(meters, MetricNames.RESULTS_NOTIFIED, MetricNames.TAG_CHANNEL, MetricNames.TAG_OUTCOME);
        this.blocked = new CountersByTwoTags(meters, MetricNames.WEBHOOKS_BLOCKED, MetricNames.TAG_CHANNEL, MetricNames.TAG_RULE);
    }

    @Override
    public RecordOutcome process(ConsumerRecord<String, TaskResult> record) throws InterruptedException {
        TaskResult result = record.value();
        String onlyFor = RetryHeaders.channel(record.headers());
        int attempt = RetryHeaders.attempt(record.headers());
        long run = TaskHeaders.run(record.headers());
        // read once a channel takes the result: most results of a busy pipeline have no channel to go to
        String trace = null;
        // most results go through one channel: no list for them
        List<RecordOutcome> outcomes = null;
        for (NotificationChannel channel : channels) {
            if ((onlyFor != null && !onlyFor.equals(channel.name())) || !channel.accepts(result)) {
                continue;
            }
            if (trace == null) {
                trace = TaskHeaders.traceparent(record.headers()).map(Object::toString).orElse("");
            }
            String outcome;
            try {
                channel.deliver(result, new DeliveryAttempt(result.getTaskId(), run, channel.name(), attempt, trace.isEmpty() ? null : trace));
                outcome = "delivered";
                outcomes = plus(outcomes, RecordOutcome.delivered(channel.name()));
            } catch (InterruptedException e) {
                throw e;
            } catch (DeliveryBlockedException e) {
                LOG.warn("blocked the delivery of task {}'s result through {}: {}", result.getTaskId(), channel.name(), e.getMessage());
                outcome = "blocked";
                blocked.increment(channel.name(), e.rule());
                outcomes = plus(outcomes, new RecordOutcome.GiveUp(DeadLetterReason.DELIVERY_BLOCKED, Failures.describe(e), null,
                        channel.name()));
            } catch (DeliveryRefusedException e) {
                LOG.warn("the receiver refused the result of task {} through {}: {}", result.getTaskId(), channel.name(), e.getMessage());
                outcome = "refused";
                outcomes = plus(outcomes, new RecordOutcome.GiveUp(DeadLetterReason.DELIVERY_REFUSED, Failures.describe(e), null,
                        channel.name()));
            } catch (Exception e) {
                RecordOutcome.Failure failure = new RecordOutcome.Failure(e, attempt, maxAttempts, result, DeadLetterReason.DELIVERY_FAILED,
                        null, channel.name());
                if (failure.exhausted()) {
                    LOG.warn("giving up on the result of task {} through {} after {} attempts: {}",
                            result.getTaskId(), channel.name(), attempt, e.getMessage());
                    outcome = "failed";
                } else {
                    outcome = "retried";
                }
                outcomes = plus(outcomes, failure);
            }
            notified.increment(channel.name(), outcome);
        }
        return outcomes == null ? RecordOutcome.skip() : RecordOutcome.all(outcomes);
    }

    private static List<RecordOutcome> plus(List<RecordOutcome> outcomes, RecordOutcome outcome) {
        List<RecordOutcome> all = outcomes == null ? new ArrayList<>(1) : outcomes;
        all.add(outcome);
        return all;
    }
}
