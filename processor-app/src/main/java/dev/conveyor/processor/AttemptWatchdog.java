package dev.conveyor.processor;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts handler attempts that run past their deadline. One platform thread sleeps until the
 * earliest deadline of the running attempts; an attempt costs a set entry, not a thread of its own
 * or a timer, so the handler runs on the task's worker thread (a second thread per task and the
 * timed wait for it were a large share of the processor's per-task cost).
 */
final class AttemptWatchdog implements AutoCloseable {

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int TIMED_OUT = 2;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private volatile boolean closed;
    // the deadline the sweeper sleeps until (NO_DEADLINE: none, or it is scanning); an attempt due earlier wakes it
    private volatile long wakeAt = NO_DEADLINE;

    AttemptWatchdog(String name) {
        this.sweeper = Thread.ofPlatform().daemon().name(name).start(this::sweep);
    }

    /** Watches the calling thread until {@link Attempt#finish()}. */
    Attempt start(Duration timeout) {
        Attempt attempt = new Attempt(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        running.add(attempt);
        // read after the add: a sweeper that cleared wakeAt before its scan either saw this attempt or is woken now
        long sleepingUntil = wakeAt;
        if (sleepingUntil == NO_DEADLINE || attempt.deadline - sleepingUntil < 0) {
            LockSupport.unpark(sweeper);
        }
        return attempt;
    }

    int watched() {
        return running.size();
    }

    private void sweep() {
        while (!closed) {
            wakeAt = NO_DEADLINE;
            long now = System.nanoTime();
            long earliest = NO_DEADLINE;
            for (Attempt attempt : running) {
                if (attempt.deadline - now <= 0) {
                    attempt.timeOut();
                } else if (earliest == NO_DEADLINE || attempt.deadline - earliest < 0) {
                    earliest = attempt.deadline;
                }
            }
            wakeAt = earliest;
            if (earliest == NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, earliest - System.nanoTime());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sweeper);
    }

    /** One handler attempt on one thread. */
    final class Attempt {

        private final Thread thread;
        private final long deadline;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile boolean interruptSent;

        private Attempt(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }

        private void timeOut() {
            running.remove(this);
            if (state.compareAndSet(RUNNING, TIMED_OUT)) {
                thread.interrupt();
                interruptSent = true;
            }
        }

        /**
         * Stops watching; call on the attempt's thread when the handler returned or threw. Returns
         * false if the attempt ran past its deadline: then its thread was interrupted, and that
         * interrupt is cleared here so it cannot hit whatever the thread does next.
         */
        boolean finish() {
            running.remove(this);
            if (state.compareAndSet(RUNNING, FINISHED)) {
                return true;
            }
            while (!interruptSent) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return false;
        }
    }
}
