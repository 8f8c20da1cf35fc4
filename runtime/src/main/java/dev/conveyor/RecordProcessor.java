package dev.conveyor;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What an app does with one decoded record. It runs on a virtual thread, so it may block. The
 * returned stage completes when the record's outcome is durable (e.g. its result is acknowledged
 * by Kafka); only then can its offset be committed. A failed stage is retried with backoff: the
 * record is never skipped.
 */
@FunctionalInterface
public interface RecordProcessor<V> {

    CompletionStage<?> process(ConsumerRecord<String, V> record) throws Exception;
}
