package dev.conveyor.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each measured task was delivered, for the rate the pipeline keeps up once it runs: deliveries
 * between the moment a tenth of them had arrived and the moment nine tenths had, per second of that
 * span. A run's whole rate (first submission → last delivery) also carries its fill time and its tail;
 * with 1% of tasks sleeping 1 s, the last slow tasks end a second after the rest, which over a
 * seven-second run is a seventh of it whatever the throughput was.
 */
final class DeliveryTimes {

    /** The share of deliveries left out at each end. */
    static final double EDGE = 0.1;

    private final long[] nanos;
    private final AtomicInteger next = new AtomicInteger();

    DeliveryTimes(int capacity) {
        nanos = new long[capacity];
    }

    /** Called from any thread; deliveries beyond the capacity (duplicates of a redelivery) are not kept. */
    void record(long nanoTime) {
        int i = next.getAndIncrement();
        if (i < nanos.length) {
            nanos[i] = nanoTime;
        }
    }

    /** Deliveries per second between the first and last {@link #EDGE} of them; NaN below ten deliveries. */
    double steadyPerSecond() {
        int n = Math.min(next.get(), nanos.length);
        if (n < 10) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int from = (int) (n * EDGE);
        int to = n - 1 - from;
        long span = sorted[to] - sorted[from];
        return span <= 0 ? Double.POSITIVE_INFINITY : (to - from) / (span / 1e9);
    }

    void reset() {
        next.set(0);
    }
}
