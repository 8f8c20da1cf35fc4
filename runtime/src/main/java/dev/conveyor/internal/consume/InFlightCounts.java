package dev.conveyor.internal.consume;

import dev.conveyor.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's count of records in flight, and of those that need none of its threads (waiting for
 * an earlier record of their key, or for Kafka to acknowledge their outputs), exported as gauges; and
 * when a change must wake the poll thread so that a paused instance or partition resumes.
 */
final class InFlightCounts {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waitingForKey = new AtomicInteger();
    private final AtomicInteger awaitingAcknowledgement = new AtomicInteger();
    private final FlowControl flow;
    private final IdleWait idle;
    // set by the poll thread: the whole instance is paused, so a change that lets it resume must wake it
    private volatile boolean instancePaused;
    private volatile boolean stopping;

    InFlightCounts(String group, FlowControl flow, IdleWait idle, MeterRegistry meters) {
        this.flow = flow;
        this.idle = idle;
        Gauge.builder(MetricNames.CONSUMER_IN_FLIGHT, inFlight, AtomicInteger::get).tag(MetricNames.TAG_GROUP, group).register(meters);
        // with in-flight and running, these tell an operator which limit a backlog is pressing on
        Gauge.builder(MetricNames.CONSUMER_WAITING_FOR_KEY, waitingForKey, AtomicInteger::get).tag(MetricNames.TAG_GROUP, group).register(meters);
        Gauge.builder(MetricNames.CONSUMER_AWAITING_ACKNOWLEDGEMENT, awaitingAcknowledgement, AtomicInteger::get)
                .tag(MetricNames.TAG_GROUP, group).register(meters);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Records in flight that need no thread of this instance now: see {@link FlowControl#canResumeInstance}. */
    int waiting() {
        return waitingForKey.get() + awaitingAcknowledgement.get();
    }

    void instancePaused(boolean paused) {
        instancePaused = paused;
    }

    void stopping() {
        stopping = true;
    }

    /** Taken from Kafka: it waits for its key first. */
    void dispatched(PartitionOffsets tracker) {
        inFlight.incrementAndGet();
        waitingForKey.incrementAndGet();
        tracker.startWaiting();
    }

    /** Its key is free: it needs a handler thread now. */
    void keyTaken(PartitionOffsets tracker) {
        waitingForKey.decrementAndGet();
        tracker.stopWaiting();
    }

    /**
     * Its handler returned: until its outputs are written it waits on Kafka, not on this instance, so a
     * paused instance may resume for it, as it would when the record finished.
     */
    void handed(PartitionOffsets tracker) {
        awaitingAcknowledgement.incrementAndGet();
        tracker.startWaiting();
        wakeIfPausedCanResume(tracker, inFlight.get());
    }

    /** Its outputs were written, or writing them failed. */
    void acknowledged(PartitionOffsets tracker) {
        awaitingAcknowledgement.decrementAndGet();
        tracker.stopWaiting();
    }

    /** Done with (completed, or abandoned to the next owner); offsets commit up to the lowest unfinished one. */
    void finished(PartitionOffsets tracker, int partitionLeft) {
        int left = inFlight.decrementAndGet();
        // exactly one completion sees each count, so each crossing of a low watermark wakes the poll thread once; while
        // the instance is paused, so does every completion that lets it resume (records that wait for their key or for an
        // acknowledgement change the count without completing), until the poll thread has resumed
        if (left == flow.instanceLowWatermark() || partitionLeft == flow.partitionLowWatermark() || (stopping && left == 0)) {
            idle.wake();
        } else {
            wakeIfPausedCanResume(tracker, left);
        }
    }

    private void wakeIfPausedCanResume(PartitionOffsets tracker, int inFlightNow) {
        if ((instancePaused && flow.canResumeInstance(inFlightNow, waiting()))
                || (tracker.isFull() && flow.canResumePartition(tracker.inFlight(), tracker.waiting()))) {
            idle.wake();
        }
    }
}
