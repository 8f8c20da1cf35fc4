package dev.conveyor.console.activity;

/**
 * Latencies in buckets that grow by 10%, from 1 ms to over a day: a quantile is read as its bucket's
 * upper bound, so it is at most 10% above the true value. Constant memory, whatever the rate. Pure.
 */
final class LatencyHistogram {

    static final double GROWTH = 1.1;
    static final int BUCKETS = 200;
    private final long[] counts = new long[BUCKETS];
    private long total;

    void add(long millis) {
        counts[bucket(millis)]++;
        total++;
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The latency in ms below which {@code q} of the samples fall; 0 without samples. */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    static int bucket(long millis) {
        if (millis <= 1) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, Math.ceil(Math.log(millis) / Math.log(GROWTH)));
    }

    static long upperBound(int bucket) {
        return bucket == 0 ? 1 : (long) Math.floor(Math.pow(GROWTH, bucket));
    }
}
