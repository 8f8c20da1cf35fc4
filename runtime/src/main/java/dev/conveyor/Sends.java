package dev.conveyor;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Kafka sends as futures that complete when the broker acknowledged (or refused) the record. They
 * complete on a virtual thread, never on the producer's network thread: a continuation that sends
 * again would otherwise block that thread waiting for metadata only it can fetch (a deadlock until
 * {@code max.block.ms}).
 */
public final class Sends {

    private static final java.util.concurrent.Executor COMPLETIONS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private Sends() {
    }

    public static <K, V> CompletableFuture<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> COMPLETIONS.execute(() -> {
                if (failure == null) {
                    acked.complete(metadata);
                } else {
                    acked.completeExceptionally(failure);
                }
            }));
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
