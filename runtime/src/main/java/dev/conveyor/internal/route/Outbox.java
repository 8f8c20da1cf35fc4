package dev.conveyor.internal.route;

import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where the router writes one attempt's records. Under at-least-once a send completes when the broker
 * acknowledged it; under exactly-once it completes at once and the record is written in the transaction
 * that commits the input's offset.
 */
@FunctionalInterface
public interface Outbox {

    CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record);
}
