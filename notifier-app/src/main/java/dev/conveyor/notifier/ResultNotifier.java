package dev.conveyor.notifier;

import dev.conveyor.MetricNames;
import dev.conveyor.RecordProcessor;
import dev.conveyor.schema.TaskResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one result through every channel that accepts it. A channel that gives up is logged
 * and counted ({@code outcome=failed}) without holding back the other results of its partition.
 */
final class ResultNotifier implements RecordProcessor<TaskResult> {

    private static final Logger LOG = LoggerFactory.getLogger(ResultNotifier.class);

    private final List<NotificationChannel> channels;
    private final MeterRegistry meters;

    ResultNotifier(List<NotificationChannel> channels, MeterRegistry meters) {
        this.channels = List.copyOf(channels);
        this.meters = meters;
    }

    @Override
    public CompletionStage<?> process(ConsumerRecord<String, TaskResult> record) throws InterruptedException {
        TaskResult result = record.value();
        for (NotificationChannel channel : channels) {
            if (!channel.accepts(result)) {
                continue;
            }
            String outcome;
            try {
                channel.deliver(result);
                outcome = "delivered";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("could not deliver the result of task {} through {}: {}", result.getTaskId(), channel.name(), e.getMessage());
                outcome = "failed";
            }
            Counter.builder(MetricNames.RESULTS_NOTIFIED)
                    .tag(MetricNames.TAG_CHANNEL, channel.name())
                    .tag(MetricNames.TAG_OUTCOME, outcome)
                    .register(meters).increment();
        }
        return CompletableFuture.completedFuture(null);
    }
}
