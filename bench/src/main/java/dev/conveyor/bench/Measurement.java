package dev.conveyor.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one scenario measured.
 *
 * @param perSecond      tasks delivered per second, first submission to last delivery
 * @param steadyPerSecond tasks delivered per second without the first and last tenth of the deliveries
 *                       ({@link DeliveryTimes}): the rate without the run's fill time and tail
 * @param latencyMicros  submit (or intended send) → delivered by the notifier
 * @param hops           where the latency went: sent → handler started, handler completed → delivered
 * @param instanceShares each processor instance's share of the tasks it ran
 * @param ceilingRatio   perSecond / the raw Kafka ceiling measured in the same run (the fastest of its runs)
 * @param cpu            how busy the machine's cores were during the measured part, and the hypervisor's steal
 * @param cpuPerTask     CPU time per task of this JVM (client and apps) and of the broker during the measured part
 */
record Measurement(Scenario scenario, double perSecond, double steadyPerSecond, Histogram latencyMicros, Hops hops, List<Double> instanceShares,
                   double ceilingRatio, CpuTime.Shares cpu, CpuPerItem cpuPerTask) {

    record Hops(Histogram untilStartedMicros, Histogram afterCompletedMicros) {
        double untilStartedP50Ms() {
            return ms(untilStartedMicros, 50);
        }

        double afterCompletedP50Ms() {
            return ms(afterCompletedMicros, 50);
        }

        double untilStartedP99Ms() {
            return ms(untilStartedMicros, 99);
        }

        double afterCompletedP99Ms() {
            return ms(afterCompletedMicros, 99);
        }
    }

    /** The same measurement as a ratio to another ceiling: the sweep's fastest raw run, known only at its end. */
    Measurement against(double ceilingPerSecond) {
        return new Measurement(scenario, perSecond, steadyPerSecond, latencyMicros, hops, instanceShares, perSecond / ceilingPerSecond, cpu,
                cpuPerTask);
    }

    double p50Ms() {
        return ms(latencyMicros, 50);
    }

    double p99Ms() {
        return ms(latencyMicros, 99);
    }

    /** A percentile of a histogram of microseconds, in milliseconds. */
    static double ms(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMs() {
        return latencyMicros.getMaxValue() / 1000.0;
    }

    /** Largest deviation of an instance's share from an even split, as a fraction of the even split. */
    double shareSpread() {
        double even = 1.0 / instanceShares.size();
        return instanceShares.stream().mapToDouble(s -> Math.abs(s - even) / even).max().orElse(0);
    }
}
