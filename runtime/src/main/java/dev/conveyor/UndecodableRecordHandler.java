package dev.conveyor;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Takes a record whose value could not be decoded (a poison pill), so its partition keeps flowing. */
@FunctionalInterface
public interface UndecodableRecordHandler {

    CompletionStage<?> handle(ConsumerRecord<String, byte[]> raw, Exception cause, Outbox outbox);
}
