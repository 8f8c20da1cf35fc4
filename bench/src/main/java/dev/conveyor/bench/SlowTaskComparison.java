package dev.conveyor.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How much of the no-slow throughput a run with 1% slow tasks kept: against the fastest no-op run
 * through the Java client with the same partitions, instances and ordering mode, both as whole-run
 * rates and as steady rates ({@link DeliveryTimes}). The fastest no-op run, so that a slow no-op run
 * cannot flatter the share.
 */
record SlowTaskComparison(Measurement slow, Measurement noSlow) {

    static List<SlowTaskComparison> among(List<Measurement> results) {
        return results.stream()
                .filter(m -> m.scenario().profile() == Scenario.Profile.SLOW_1PCT)
                .flatMap(slow -> fastestNoSlow(results, slow.scenario()).map(noSlow -> new SlowTaskComparison(slow, noSlow)).stream())
                .toList();
    }

    private static Optional<Measurement> fastestNoSlow(List<Measurement> results, Scenario slow) {
        return results.stream()
                .filter(m -> m.scenario().profile() == Scenario.Profile.NOOP && m.scenario().path() == Scenario.Path.CLIENT)
                .filter(m -> m.scenario().partitions() == slow.partitions() && m.scenario().processors() == slow.processors()
                        && m.scenario().ordering() == slow.ordering())
                .max(Comparator.comparingDouble(Measurement::perSecond));
    }

    double wholeRunShare() {
        return slow.perSecond() / noSlow.perSecond();
    }

    double steadyShare() {
        return slow.steadyPerSecond() / noSlow.steadyPerSecond();
    }
}
