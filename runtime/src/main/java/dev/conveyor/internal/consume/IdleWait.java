package dev.conveyor.internal.consume;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the poll thread waits while paused partitions leave it nothing to fetch, instead of inside
 * {@code Consumer.poll}: the Kafka 4.3 consumer re-queues the buffered data of a paused partition on
 * every pass of its poll loop and wakes itself doing so (KAFKA-21084), so a poll with a timeout
 * spins a whole core for that timeout whenever a partition is paused. Finished work that may lift
 * a pause wakes the waiter at once.
 */
final class IdleWait {

    private final AtomicLong wakeups = new AtomicLong();
    private volatile Thread waiter;

    /** Taken before deciding to wait, so a wake-up between the decision and {@link #await} is not lost. */
    long mark() {
        return wakeups.get();
    }

    void await(long mark, Duration atMost) {
        if (atMost.isNegative() || atMost.isZero()) {
            return;
        }
        waiter = Thread.currentThread();
        try {
            if (wakeups.get() == mark) {
                LockSupport.parkNanos(this, atMost.toNanos());
            }
        } finally {
            waiter = null;
        }
    }

    void wake() {
        wakeups.incrementAndGet();
        Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }
}
