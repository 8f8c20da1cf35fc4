package dev.conveyor.internal.consume;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each record's outputs until its offset is committable, then writes the outputs of every
 * committable offset and the offsets themselves in one transaction (KIP-447: the consumer's group
 * metadata fences a zombie instance). A record's outputs are therefore committed exactly when its
 * offset is; a crash or a failed transaction leaves neither, and the work is redone.
 */
final class TransactionalCommitter implements Committer {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalCommitter.class);

    private final String name;
    private final Supplier<Producer<String, SpecificRecord>> producers;
    private final Counter commits;
    private Producer<String, SpecificRecord> producer;

    TransactionalCommitter(String name, Supplier<Producer<String, SpecificRecord>> producers, Counter commits) {
        this.name = name;
        this.producers = producers;
        this.commits = commits;
        this.producer = begin(producers);
    }

    private static Producer<String, SpecificRecord> begin(Supplier<Producer<String, SpecificRecord>> producers) {
        Producer<String, SpecificRecord> created = producers.get();
        created.initTransactions();
        return created;
    }

    @Override
    public AttemptOutbox open() {
        return new HeldOutbox();
    }

    @Override
    public Collection<TopicPartition> commit(Consumer<?, ?> consumer, OffsetLedger ledger, Collection<TopicPartition> partitions,
                                             boolean sync) {
        OffsetLedger.Batch batch = ledger.takeBatch(partitions);
        if (batch.offsets().isEmpty()) {
            return List.of();
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, SpecificRecord> output : batch.outputs()) {
                producer.send(output);
            }
            producer.sendOffsetsToTransaction(batch.offsets(), consumer.groupMetadata());
            // commitTransaction flushes and fails if any send of the transaction failed
            producer.commitTransaction();
            ledger.markCommitted(batch.offsets());
            commits.increment();
            return List.of();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException | UnsupportedVersionException fatal) {
            LOG.warn("{}: transaction failed fatally ({}); starting a new producer and redoing {}", name, fatal, batch.offsets().keySet());
            producer.close(Duration.ZERO);
            producer = begin(producers);
        } catch (KafkaException abortable) {
            LOG.warn("{}: transaction failed ({}); aborting and redoing {}", name, abortable.toString(), batch.offsets().keySet());
            try {
                producer.abortTransaction();
            } catch (KafkaException cannotAbort) {
                producer.close(Duration.ZERO);
                producer = begin(producers);
            }
        }
        return new ArrayList<>(batch.offsets().keySet());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Completes at once: the records are written later, in the transaction that commits the offset. */
    private static final class HeldOutbox implements AttemptOutbox {

        private final List<ProducerRecord<String, SpecificRecord>> held = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletionStage<?> send(ProducerRecord<String, SpecificRecord> record) {
            held.add(record);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<ProducerRecord<String, SpecificRecord>> held() {
            synchronized (held) {
                return List.copyOf(held);
            }
        }
    }
}
