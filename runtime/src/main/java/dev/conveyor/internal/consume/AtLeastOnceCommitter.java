package dev.conveyor.internal.consume;

import dev.conveyor.kafka.Sends;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Outputs are sent at once and acknowledged before the record counts as done; offsets are committed after. */
final class AtLeastOnceCommitter implements Committer {

    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOnceCommitter.class);

    private final String name;
    private final Producer<String, SpecificRecord> producer;
    private final Counter commits;
    private final AttemptOutbox outbox;

    AtLeastOnceCommitter(String name, Producer<String, SpecificRecord> producer, Counter commits) {
        this.name = name;
        this.producer = producer;
        this.commits = commits;
        this.outbox = new AttemptOutbox() {
            @Override
            public CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record) {
                return Sends.send(producer, record);
            }

            @Override
            public List<ProducerRecord<String, SpecificRecord>> held() {
                return List.of();
            }
        };
    }

    @Override
    public AttemptOutbox open() {
        return outbox;
    }

    @Override
    public Collection<TopicPartition> commit(Consumer<?, ?> consumer, OffsetLedger ledger, Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable(partitions);
        if (offsets.isEmpty()) {
            return List.of();
        }
        if (!sync) {
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure == null) {
                    ledger.markCommitted(committed);
                    commits.increment();
                } else {
                    LOG.warn("{}: commit failed, will retry on the next interval: {}", name, failure.toString());
                }
            });
            return List.of();
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            ledger.markCommitted(offsets);
            commits.increment();
        } catch (RuntimeException e) {
            // the outputs are already acknowledged: the next commit (or the next owner) covers these offsets
            LOG.warn("{}: commit of {} failed: {}", name, offsets, e.toString());
        }
        return List.of();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
