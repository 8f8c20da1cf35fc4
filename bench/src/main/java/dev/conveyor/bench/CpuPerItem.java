package dev.conveyor.bench;

import java.time.Duration;

/**
 * CPU time per task (or, in a raw run, per record) of a measured run, split between this JVM and the
 * broker. This JVM runs the benchmark's client and every app of a scenario, or the raw run's plain
 * clients; the broker is the one the benchmark started. The ratio to the raw ceiling says how much
 * slower Conveyor is on the same cores; this says which process the difference is spent in.
 *
 * @param thisJvmMicros CPU microseconds of this JVM per item, NaN when unknown
 * @param brokerMicros  CPU microseconds of the broker per item, NaN when unknown (e.g. a broker the benchmark did not start)
 */
record CpuPerItem(double thisJvmMicros, double brokerMicros) {

    static final CpuPerItem UNKNOWN = new CpuPerItem(Double.NaN, Double.NaN);

    /** Cumulative CPU time of both processes at one moment; null where a process could not be read. */
    record Sample(Duration thisJvm, Duration broker) {
    }

    static CpuPerItem between(Sample before, Sample after, long items) {
        if (items <= 0) {
            return UNKNOWN;
        }
        return new CpuPerItem(perItem(before.thisJvm(), after.thisJvm(), items), perItem(before.broker(), after.broker(), items));
    }

    private static double perItem(Duration before, Duration after, long items) {
        if (before == null || after == null || after.compareTo(before) < 0) {
            return Double.NaN;
        }
        return after.minus(before).toNanos() / 1_000.0 / items;
    }
}
