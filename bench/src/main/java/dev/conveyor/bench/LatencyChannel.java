package dev.conveyor.bench;

import dev.conveyor.NotificationChannel;
import dev.conveyor.schema.TaskResult;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The benchmark's end of the pipeline: a notifier channel that records, for every result it is
 * given, the time since the task's intended send time (carried in the task header {@value #T0}),
 * and where that time went: until the handler started (submission and the first hop), and from the
 * handler's completion to delivery (the result's hop), from the result's wall-clock milliseconds.
 */
final class LatencyChannel implements NotificationChannel {

    static final String T0 = "bench.t0";

    private final Recorder latencies = new Recorder(3);
    private final Recorder untilStarted = new Recorder(3);
    private final Recorder afterCompleted = new Recorder(3);
    // maps System.nanoTime() onto wall-clock microseconds, which the result's timestamps are in
    private final long wallMinusNanoMicros = System.currentTimeMillis() * 1_000 - System.nanoTime() / 1_000;
    private final AtomicLong delivered = new AtomicLong();
    private volatile long lastDeliveryNanos;
    private final DeliveryTimes deliveryTimes;

    /** {@code measured}: how many deliveries of a measured run to keep the times of. */
    LatencyChannel(int measured) {
        deliveryTimes = new DeliveryTimes(measured);
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean accepts(TaskResult result) {
        return result.getHeaders().containsKey(T0);
    }

    @Override
    public void deliver(TaskResult result) {
        long now = System.nanoTime();
        long t0 = Long.parseLong(result.getHeaders().get(T0));
        latencies.recordValue(Math.max(0, now - t0) / 1_000);
        untilStarted.recordValue(Math.max(0, result.getStartedAt().toEpochMilli() * 1_000 - (t0 / 1_000 + wallMinusNanoMicros)));
        afterCompleted.recordValue(Math.max(0, now / 1_000 + wallMinusNanoMicros - result.getCompletedAt().toEpochMilli() * 1_000));
        lastDeliveryNanos = now;
        deliveryTimes.record(now);
        delivered.incrementAndGet();
    }

    long delivered() {
        return delivered.get();
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Deliveries per second since the last reset, without the first and last tenth ({@link DeliveryTimes}). */
    double steadyPerSecond() {
        return deliveryTimes.steadyPerSecond();
    }

    /** Latencies in microseconds since the last call; the warm-up is dropped this way. */
    org.HdrHistogram.Histogram takeMicros() {
        return latencies.getIntervalHistogram();
    }

    /** Sent → handler started, in microseconds (millisecond precision), since the last call. */
    org.HdrHistogram.Histogram takeUntilStartedMicros() {
        return untilStarted.getIntervalHistogram();
    }

    /** Handler completed → delivered, in microseconds (millisecond precision), since the last call. */
    org.HdrHistogram.Histogram takeAfterCompletedMicros() {
        return afterCompleted.getIntervalHistogram();
    }

    void reset() {
        delivered.set(0);
        deliveryTimes.reset();
        latencies.reset();
        untilStarted.reset();
        afterCompleted.reset();
    }
}
