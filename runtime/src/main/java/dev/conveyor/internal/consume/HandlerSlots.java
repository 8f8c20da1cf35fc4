package dev.conveyor.internal.consume;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs at most {@code limit} works at once on virtual threads; the others wait in a queue, in
 * submission order. Waiting work is an entry in a queue, not a parked thread: starting a thread per
 * record and parking it on a semaphore cost a park and an unpark per record whenever the slots were
 * full. A thread takes works from the queue one after another, up to {@link #WORKS_PER_THREAD} in a
 * row, and a new thread is started only when no thread started earlier is still on its way to the
 * queue, so quick works below a large limit do not cost a thread start each.
 * A thread that takes a work while more wait starts the next thread first, so works that block
 * (handlers calling slow services) still spread over as many threads as the limit allows.
 */
final class HandlerSlots {

    /**
     * Works one thread runs in a row before it hands its slot on to a new thread. A virtual thread is
     * not preempted, so a bound keeps a thread running short works back to back from holding its
     * carrier for long while other virtual threads wait for one.
     */
    static final int WORKS_PER_THREAD = 64;

    /** One piece of work, and what to do if it can never start because the threads were shut down. */
    interface Work extends Runnable {

        void refused(RejectedExecutionException shuttingDown);
    }

    private final int limit;
    private volatile boolean closed;
    // threads holding a slot: started, running works, or about to end
    private final AtomicInteger running = new AtomicInteger();
    // of running: started and not yet at the queue; while one is, a submitter leaves its work to it
    private final AtomicInteger starting = new AtomicInteger();
    private final AtomicBoolean refusing = new AtomicBoolean();
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
        refuseWaiting();
    }

    void submit(Work work) {
        waiting.add(work);
        if (closed) {
            refuseWaiting();
            return;
        }
        startThreadIfNeeded();
    }

    /** Threads holding a slot now. */
    int running() {
        return running.get();
    }

    /** Works waiting for a thread now. */
    int waiting() {
        return waiting.size();
    }

    /**
     * A submitter (after adding), a thread taking a work while more wait, and a thread ending all call
     * this, and each changes what the others read before reading what they change: a work never waits
     * while no thread is on its way to it and a slot is free.
     */
    private void startThreadIfNeeded() {
        while (!waiting.isEmpty() && starting.get() == 0) {
            int now = running.get();
            if (now >= limit) {
                return;
            }
            if (running.compareAndSet(now, now + 1)) {
                starting.incrementAndGet();
                try {
                    Thread.startVirtualThread(this::takeWorks);
                } catch (RuntimeException | Error e) {
                    // a thread that never ran would count as on its way for good, and no other would start
                    starting.decrementAndGet();
                    running.decrementAndGet();
                    throw e;
                }
                return;
            }
        }
    }

    private void takeWorks() {
        // from here on a submitter starts a thread itself if one is needed
        starting.decrementAndGet();
        try {
            Work work;
            for (int done = 0; done < WORKS_PER_THREAD && !closed && (work = waiting.poll()) != null; done++) {
                // this work may block: the next one should not wait for it (the counters first: reading the
                // queue's head, which the submitter writes near, showed in profiles)
                if (starting.get() == 0 && running.get() < limit && !waiting.isEmpty()) {
                    startThreadIfNeeded();
                }
                work.run();
            }
        } finally {
            running.decrementAndGet();
            if (closed) {
                refuseWaiting();
            } else {
                startThreadIfNeeded();
            }
        }
    }

    /**
     * Refuses every waiting work. A refusal may submit more work (the next record of a key), which
     * lands in the queue this loop is draining instead of refusing its way down the stack.
     */
    private void refuseWaiting() {
        do {
            if (!refusing.compareAndSet(false, true)) {
                return;
            }
            try {
                Work work;
                while ((work = waiting.poll()) != null) {
                    work.refused(new RejectedExecutionException("the consumer is shutting down"));
                }
            } finally {
                refusing.set(false);
            }
            // a work queued after the last poll but before the flag cleared found it set: take it now
        } while (!waiting.isEmpty());
    }
}
