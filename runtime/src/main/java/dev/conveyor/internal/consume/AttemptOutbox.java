package dev.conveyor.internal.consume;

import dev.conveyor.internal.route.Outbox;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The outbox of one attempt; {@link #held()} are the records still to be written with the offset. */
interface AttemptOutbox extends Outbox {

    List<ProducerRecord<String, SpecificRecord>> held();
}
