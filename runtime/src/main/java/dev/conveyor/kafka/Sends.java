package dev.conveyor.kafka;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Kafka sends as futures that complete when the broker acknowledged (or refused) the record. They
 * complete on a completion thread, never on the producer's network thread: a continuation that sends
 * again would otherwise block that thread waiting for metadata only it can fetch (a deadlock until
 * {@code max.block.ms}).
 *
 * <p>Acknowledgements arrive in bursts (one per record of a produce response), so they are queued
 * and one thread completes all that are queued: a thread per acknowledgement cost a thread start per
 * record. Continuations therefore run one after another; one that blocks delays the others, so
 * blocking work belongs in the {@code *Async} variants on an executor of its own.
 *
 * <p>That thread is a platform thread. A virtual one waits for a carrier behind every runnable
 * virtual thread, and under load those are thousands of handlers: every record it finishes would hold
 * its place in flight, and its offset, while it waits, and handlers that never yield would hold it
 * back for good.
 */
public final class Sends {

    private static final Queue<Runnable> ACKNOWLEDGED = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean COMPLETING = new AtomicBoolean();
    private static final Executor COMPLETER = Executors.newSingleThreadExecutor(
            runnable -> Thread.ofPlatform().daemon().name("conveyor-acknowledgements").unstarted(runnable));

    private Sends() {
    }

    public static <K, V> CompletableFuture<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        Acknowledgement acked = new Acknowledgement();
        try {
            producer.send(record, acked);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /**
     * The future, the producer's callback and the queued completion in one object, since every record
     * sent goes through here.
     */
    private static final class Acknowledgement extends CompletableFuture<RecordMetadata> implements Callback, Runnable {

        // written on the network thread before the queue hands this to the completion thread
        private RecordMetadata metadata;
        private Exception failure;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            this.metadata = metadata;
            this.failure = failure;
            ACKNOWLEDGED.add(this);
            if (COMPLETING.compareAndSet(false, true)) {
                COMPLETER.execute(Sends::completeQueued);
            }
        }

        @Override
        public void run() {
            if (failure == null) {
                complete(metadata);
            } else {
                completeExceptionally(failure);
            }
        }
    }

    private static void completeQueued() {
        do {
            Runnable next;
            // complete() does not throw: a failing continuation fails its own dependent future
            while ((next = ACKNOWLEDGED.poll()) != null) {
                next.run();
            }
            COMPLETING.set(false);
            // an acknowledgement queued after the last poll but before the flag cleared found it set: take it now
        } while (!ACKNOWLEDGED.isEmpty() && COMPLETING.compareAndSet(false, true));
    }
}
