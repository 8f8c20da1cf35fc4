package dev.conveyor.internal.consume;

import dev.conveyor.RecordOutcome;
import dev.conveyor.RecordProcessor;
import dev.conveyor.internal.route.OutcomeRouter;
import dev.conveyor.internal.route.Outbox;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at one record, in pipeline order: decode it, let the app process it, route the outcome and
 * write its records. Returns the stage that completes when they are written; a record that cannot be
 * decoded becomes a dead letter instead of an outcome.
 */
final class RecordHandling<V> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordHandling.class);

    private final String name;
    private final RecordDecoder<V> decoder;
    private final RecordProcessor<V> processor;
    private final OutcomeRouter router;

    RecordHandling(String name, RecordDecoder<V> decoder, RecordProcessor<V> processor, OutcomeRouter router) {
        this.name = name;
        this.decoder = decoder;
        this.processor = processor;
        this.router = router;
    }

    CompletionStage<?> handle(ConsumerRecord<String, byte[]> raw, Outbox outbox) throws Exception {
        ConsumerRecord<String, V> record;
        try {
            record = decoder.decode(raw);
        } catch (UndecodableRecordException poisonPill) {
            LOG.warn("{}: record {}-{}@{} goes to the dead-letter topic as {}: {}", name, raw.topic(), raw.partition(), raw.offset(),
                    poisonPill.reason(), poisonPill.getMessage());
            return router.writeUndecodable(raw, poisonPill.reason(), poisonPill, outbox);
        }
        RecordOutcome outcome = processor.process(record);
        return router.write(record, outcome, outbox);
    }
}
