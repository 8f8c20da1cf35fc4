package dev.conveyor.internal.consume;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offsets of one partition handed out but not yet finished. The committable offset is the lowest
 * unfinished one (or one past the highest handed out when all are done), so a commit never skips
 * work: after a crash, only work at or beyond it is redone.
 * {@link #begin} and {@link #committable} are called by the poll thread; {@link #complete} by any.
 */
final class PartitionOffsets {

    private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private long nextAfterHighest = -1;
    private long committed = -1;

    void begin(long offset) {
        pending.add(offset);
        inFlight.incrementAndGet();
        nextAfterHighest = Math.max(nextAfterHighest, offset + 1);
    }

    void complete(long offset) {
        if (pending.remove(offset)) {
            inFlight.decrementAndGet();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The offset to commit now, if it moved since the last {@link #markCommitted}. */
    OptionalLong committable() {
        if (nextAfterHighest < 0) {
            return OptionalLong.empty();
        }
        Long lowestPending = pending.ceiling(Long.MIN_VALUE);
        long next = lowestPending == null ? nextAfterHighest : lowestPending;
        return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
    }

    void markCommitted(long offset) {
        committed = Math.max(committed, offset);
    }
}
