package dev.conveyor;

import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where a {@link RecordProcessor} writes the records that make up one input record's outcome
 * (its result, its next retry hop, its dead letter). Under {@link DeliveryGuarantee#AT_LEAST_ONCE}
 * a send completes when the broker acknowledged it; under {@link DeliveryGuarantee#EXACTLY_ONCE} it
 * completes at once and the record is written in the same transaction as the input's offset.
 */
@FunctionalInterface
public interface Outbox {

    CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record);
}
