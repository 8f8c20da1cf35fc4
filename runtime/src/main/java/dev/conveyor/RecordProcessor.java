package dev.conveyor;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What an app does with one decoded record: run the handler or the delivery and say how it ended.
 * It runs on a virtual thread, so it may block. It writes nothing itself: the engine turns the
 * {@link RecordOutcome} into records and commits the offset once they are written. A thrown exception
 * is not an outcome but a failed try: the record is tried again with backoff and never skipped.
 */
@FunctionalInterface
public interface RecordProcessor<V> {

    RecordOutcome process(ConsumerRecord<String, V> record) throws Exception;
}
