package dev.conveyor;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What an app does with one decoded record. It runs on a virtual thread, so it may block. Every
 * record the outcome consists of goes through the {@link Outbox}; the returned stage completes when
 * the outcome is complete (under at-least-once: when those sends are acknowledged); only then can the
 * record's offset be committed. A failed stage is retried with backoff and a fresh outbox: the record
 * is never skipped.
 */
@FunctionalInterface
public interface RecordProcessor<V> {

    CompletionStage<?> process(ConsumerRecord<String, V> record, Outbox outbox) throws Exception;
}
