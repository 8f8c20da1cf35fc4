package dev.conveyor.internal.consume;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fetched record from dispatch until its outcome is written or it is given up: it waits for its
 * key, runs on a handler slot (decoding runs there too, so it spreads over the cores instead of
 * queueing on the poll thread), waits for Kafka to acknowledge its outputs, and is tried again with
 * {@link RedoBackoff} until it succeeds, the partition is no longer ours, or we are shutting down; a
 * failure never lets the offset move past it. One object carries all of it, since every record goes
 * through here and records waiting behind a slow key stay alive across young collections.
 */
final class InFlightRecord implements KeyedSequencer.Sequenced, HandlerSlots.Work, BiConsumer<Object, Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightRecord.class);

    /** What an in-flight record needs of the loop that took it. */
    record Engine(String name, RecordHandling<?> handling, Committer committer, InFlightCounts counts, HandlerSlots slots,
                  ScheduledExecutorService redoTimer, BiPredicate<TopicPartition, PartitionOffsets> keepsTrying) {
    }

    private final Engine engine;
    private final TopicPartition partition;
    private final PartitionOffsets tracker;
    private final ConsumerRecord<String, byte[]> raw;
    // written by one try before its stage completes, read by that completion: the stage orders them
    private AttemptOutbox outbox;
    private Duration backoff = RedoBackoff.FIRST;
    // set when the key is ours, taken (set to null) when it is passed on
    private KeyedSequencer.Held key;

    InFlightRecord(Engine engine, TopicPartition partition, PartitionOffsets tracker, ConsumerRecord<String, byte[]> raw) {
        this.engine = engine;
        this.partition = partition;
        this.tracker = tracker;
        this.raw = raw;
    }

    /** Its key is free: take a handler slot. */
    @Override
    public void start(KeyedSequencer.Held key) {
        this.key = key;
        engine.counts().keyTaken(tracker);
        engine.slots().submit(this);
    }

    /** One try, on a handler slot; the slot covers the handler only, waiting for Kafka takes no thread. */
    @Override
    public void run() {
        AttemptOutbox attemptOutbox = engine.committer().open();
        CompletionStage<?> stage;
        try {
            stage = engine.handling().handle(raw, attemptOutbox);
        } catch (Exception e) {
            stage = CompletableFuture.failedFuture(e);
        }
        outbox = attemptOutbox;
        engine.counts().handed(tracker);
        // the key's next record may start once this one's handler has run and its outputs are handed to the
        // producer (which keeps their order), not only once Kafka acknowledged them
        releaseKey();
        stage.whenComplete(this);
    }

    @Override
    public void refused(RejectedExecutionException shuttingDown) {
        releaseKey();
        engine.counts().finished(tracker, tracker.abandon(raw.offset()));
    }

    /** The try's outputs were acknowledged, or it failed. */
    @Override
    public void accept(Object ignored, Throwable failure) {
        engine.counts().acknowledged(tracker);
        if (failure == null) {
            engine.counts().finished(tracker, tracker.complete(raw.offset(), outbox.held()));
        } else if (!engine.keepsTrying().test(partition, tracker)) {
            engine.counts().finished(tracker, tracker.abandon(raw.offset()));
        } else {
            LOG.warn("{}: processing a record of {} failed, trying again in {}: {}", engine.name(), partition, backoff, failure.toString());
            Duration wait = backoff;
            backoff = RedoBackoff.after(backoff);
            engine.redoTimer().schedule(() -> engine.slots().submit(this), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Once, after the first try: tries again of a record do not hold back the later records of its key. */
    private void releaseKey() {
        if (key != null) {
            KeyedSequencer.Held held = key;
            key = null;
            held.release();
        }
    }
}
