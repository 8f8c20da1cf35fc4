package dev.conveyor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A run with 1% slow tasks and the no-op run with the same limits (partitions, instances,
 * concurrency, in-flight limit, ordering, Java client) that ran just before it. The machine's speed
 * drifts within one invocation (the raw ceiling's runs differ by up to three times), so a share taken
 * against the fastest no-op run of the invocation ({@link SlowTaskComparison}) moves with whichever run
 * caught a fast moment; adjacent runs share the moment, and the median over several pairs leaves out
 * the odd one.
 */
record SlowTaskPair(Measurement noSlow, Measurement slow) {

    /** Pairs in run order: each slow run with the run just before it, if that is a no-op run with its limits. */
    static List<SlowTaskPair> among(List<Measurement> results) {
        List<SlowTaskPair> pairs = new ArrayList<>();
        for (int i = 1; i < results.size(); i++) {
            Measurement before = results.get(i - 1);
            Measurement m = results.get(i);
            if (m.scenario().profile() == Scenario.Profile.SLOW_1PCT && before.scenario().profile() == Scenario.Profile.NOOP
                    && m.scenario().path() == Scenario.Path.CLIENT && before.scenario().path() == Scenario.Path.CLIENT
                    && Limits.of(m.scenario()).equals(Limits.of(before.scenario()))) {
                pairs.add(new SlowTaskPair(before, m));
            }
        }
        return pairs;
    }

    /** Per slow scenario (by name, in order of first appearance), the medians over its pairs. */
    static List<Medians> medians(List<SlowTaskPair> pairs) {
        Map<String, List<SlowTaskPair>> byScenario = new LinkedHashMap<>();
        pairs.forEach(p -> byScenario.computeIfAbsent(p.slow().scenario().name(), k -> new ArrayList<>()).add(p));
        return byScenario.entrySet().stream()
                .map(e -> new Medians(e.getKey(), e.getValue().size(), median(e.getValue(), SlowTaskPair::wholeRunShare),
                        median(e.getValue(), SlowTaskPair::steadyShare), min(e.getValue()), max(e.getValue())))
                .toList();
    }

    double wholeRunShare() {
        return slow.perSecond() / noSlow.perSecond();
    }

    double steadyShare() {
        return slow.steadyPerSecond() / noSlow.steadyPerSecond();
    }

    /**
     * @param pairs               how many pairs the medians are over
     * @param lowestSteadyShare   the lowest steady share of one pair
     * @param highestSteadyShare  the highest
     */
    record Medians(String scenario, int pairs, double wholeRunShare, double steadyShare, double lowestSteadyShare,
                   double highestSteadyShare) {
    }

    private record Limits(int partitions, int processors, int concurrency, int maxInFlight, dev.conveyor.OrderingMode ordering) {
        static Limits of(Scenario s) {
            return new Limits(s.partitions(), s.processors(), s.concurrency(), s.maxInFlight(), s.ordering());
        }
    }

    private static double median(List<SlowTaskPair> pairs, ToDoubleFunction<SlowTaskPair> share) {
        double[] sorted = pairs.stream().mapToDouble(share).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double min(List<SlowTaskPair> pairs) {
        return pairs.stream().mapToDouble(SlowTaskPair::steadyShare).min().orElse(Double.NaN);
    }

    private static double max(List<SlowTaskPair> pairs) {
        return pairs.stream().mapToDouble(SlowTaskPair::steadyShare).max().orElse(Double.NaN);
    }
}
