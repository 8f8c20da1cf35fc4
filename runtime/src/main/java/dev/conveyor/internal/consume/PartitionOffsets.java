package dev.conveyor.internal.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Offsets of one partition handed out but not yet finished. The committable offset is the lowest
 * unfinished one (or one past the highest handed out when all are done), so a commit never skips
 * work: after a crash, only work at or beyond it is redone. Under exactly-once, each finished
 * offset's outputs wait here until the offset is committed, so outputs and offsets commit together.
 * {@link #begin}, {@link #committable} and {@link #takeOutputsBelow} are called by the poll thread;
 * {@link #complete} and {@link #abandon} by any.
 */
final class PartitionOffsets {

    private final PendingOffsets pending = new PendingOffsets();
    private final ConcurrentSkipListMap<Long, List<ProducerRecord<String, SpecificRecord>>> outputs = new ConcurrentSkipListMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    // of inFlight: records waiting for an earlier record of their key or for Kafka's acknowledgement
    private final AtomicInteger waiting = new AtomicInteger();
    // set by the poll thread while flow control holds this partition paused for being full
    private volatile boolean full;
    private long nextAfterHighest = -1;
    private long committed = -1;

    void begin(long offset) {
        pending.add(offset);
        inFlight.incrementAndGet();
        nextAfterHighest = Math.max(nextAfterHighest, offset + 1);
    }

    int complete(long offset) {
        return complete(offset, List.of());
    }

    /** The offset is done; {@code produced} must be committed with it. Returns the records still in flight. */
    int complete(long offset, List<ProducerRecord<String, SpecificRecord>> produced) {
        if (!produced.isEmpty()) {
            // before leaving pending, so a committer never sees the offset done without its outputs
            outputs.put(offset, List.copyOf(produced));
        }
        return pending.finish(offset) ? inFlight.decrementAndGet() : inFlight.get();
    }

    /**
     * The work was given up (shutdown, partition lost): it no longer counts as in flight, but the
     * offset stays unfinished so no commit passes it and the next owner redoes it.
     */
    int abandon(long offset) {
        return inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** A record of this partition started waiting on something other than the instance's threads. */
    void startWaiting() {
        waiting.incrementAndGet();
    }

    void stopWaiting() {
        waiting.decrementAndGet();
    }

    /** Records in flight that wait for an earlier record of their key or for Kafka's acknowledgement. */
    int waiting() {
        return waiting.get();
    }

    void markFull(boolean paused) {
        full = paused;
    }

    /** Whether flow control holds this partition paused for being full, as of its last decision. */
    boolean isFull() {
        return full;
    }

    /** The offset to commit now, if it moved since the last {@link #markCommitted}. */
    OptionalLong committable() {
        if (nextAfterHighest < 0) {
            return OptionalLong.empty();
        }
        long lowestPending = pending.lowest();
        long next = lowestPending == PendingOffsets.NONE ? nextAfterHighest : lowestPending;
        return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
    }

    /** Removes and returns, in offset order, the outputs of finished offsets below {@code next}. */
    List<ProducerRecord<String, SpecificRecord>> takeOutputsBelow(long next) {
        List<ProducerRecord<String, SpecificRecord>> taken = new ArrayList<>();
        Map<Long, List<ProducerRecord<String, SpecificRecord>>> below = outputs.headMap(next);
        below.values().forEach(taken::addAll);
        below.clear();
        return taken;
    }

    void markCommitted(long offset) {
        committed = Math.max(committed, offset);
    }
}
