package dev.conveyor.events;

import dev.conveyor.kafka.Sends;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.schema.TaskEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lifecycle events that are not the outputs of a consumed record: {@code QUEUED} after a
 * submission is acknowledged, {@code STARTED} when a handler starts. They report progress and decide
 * nothing, so a failed write is counted and logged, never an error of the task: the view then misses
 * that step and still reaches the task's later states from the events that follow.
 */
public final class EventWriter {

    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

    private final Producer<String, SpecificRecord> producer;
    private final MeterRegistry meters;

    public EventWriter(Producer<String, SpecificRecord> producer, MeterRegistry meters) {
        this.producer = producer;
        this.meters = meters;
    }

    /** Sends {@code event} (nothing if null, i.e. events are off); the future completes when Kafka answered, never exceptionally. */
    public CompletableFuture<Void> write(ProducerRecord<String, SpecificRecord> event) {
        if (event == null) {
            return CompletableFuture.completedFuture(null);
        }
        return Sends.send(producer, event).handle((metadata, failure) -> {
            if (failure != null) {
                TaskEvent value = (TaskEvent) event.value();
                LOG.warn("the {} event of task {} was not written: {}", value.getKind(), value.getTaskId(), failure.toString());
                Counter.builder(MetricNames.EVENTS_UNWRITTEN).tag(MetricNames.TAG_KIND, value.getKind().name()).register(meters).increment();
            }
            return null;
        });
    }
}
