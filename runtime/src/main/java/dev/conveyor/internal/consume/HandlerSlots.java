package dev.conveyor.internal.consume;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs at most {@code limit} works at once on virtual threads; the others wait in a queue, in
 * submission order, and get a thread only when a slot frees. Waiting work is an entry in a queue, not
 * a parked thread: starting a thread per record and parking it on a semaphore cost a park and an
 * unpark per record whenever the slots were full. A thread whose work is done takes the next waiting
 * work itself, up to {@link #WORKS_PER_THREAD} in a row, instead of ending and starting another
 * thread for it: when work waits, starting and tracking a thread per record was a measured few
 * percent of the processor's CPU.
 */
final class HandlerSlots {

    /**
     * Works one thread runs in a row before it hands its slot on to a new thread. A virtual thread is
     * not preempted, so a bound keeps a thread running short works back to back from holding its
     * carrier for long while other virtual threads wait for one.
     */
    static final int WORKS_PER_THREAD = 64;

    /** One piece of work, and what to do if it can never start because the threads were shut down. */
    record Work(Runnable run, java.util.function.Consumer<RejectedExecutionException> refused) {
    }

    private final int limit;
    private volatile boolean closed;
    private final AtomicInteger running = new AtomicInteger();
    private final Queue<Work> waiting = new ConcurrentLinkedQueue<>();

    HandlerSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** From now on, work that has not started is refused; work already running finishes. */
    void close() {
        closed = true;
        startWaiting();
    }

    void submit(Work work) {
        waiting.add(work);
        startWaiting();
    }

    /** Works holding a slot now. */
    int running() {
        return running.get();
    }

    /** Works waiting for a slot now. */
    int waiting() {
        return waiting.size();
    }

    /**
     * Both a submitter (after adding) and a finishing work (after freeing its slot) call this, so
     * whichever comes second sees both the queued work and the free slot: nothing waits while a slot is free.
     */
    private void startWaiting() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= limit) {
                return;
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Work next = waiting.poll();
            if (next == null) {
                running.decrementAndGet();
                continue;
            }
            start(next);
        }
    }

    private void start(Work work) {
        if (closed) {
            running.decrementAndGet();
            work.refused().accept(new RejectedExecutionException("the consumer is shutting down"));
            return;
        }
        // a bare virtual thread: an executor service would also track every thread in a concurrent set
        Thread.startVirtualThread(() -> {
            try {
                Work current = work;
                for (int done = 1; current != null; done++) {
                    current.run().run();
                    current = done < WORKS_PER_THREAD && !closed ? waiting.poll() : null;
                }
            } finally {
                running.decrementAndGet();
                startWaiting();
            }
        });
    }
}
