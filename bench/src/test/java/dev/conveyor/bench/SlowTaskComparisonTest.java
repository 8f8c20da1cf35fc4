package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.conveyor.OrderingMode;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SlowTaskComparisonTest {

    @Test
    void aSlowRunIsComparedWithTheFastestNoOpRunOfItsShape() {
        // given: two no-op runs of the same shape, and one with other partitions that is faster still
        Measurement noOpSlowRun = run("client-noop-1x", 12, OrderingMode.KEY, Scenario.Profile.NOOP, 60_000, 70_000);
        Measurement noOpFastRun = run("client-noop-1x", 12, OrderingMode.KEY, Scenario.Profile.NOOP, 80_000, 90_000);
        Measurement otherShape = run("client-noop-3p", 3, OrderingMode.KEY, Scenario.Profile.NOOP, 100_000, 110_000);
        Measurement slow = run("client-slow1pct-key", 12, OrderingMode.KEY, Scenario.Profile.SLOW_1PCT, 60_000, 81_000);

        // when
        List<SlowTaskComparison> comparisons = SlowTaskComparison.among(List.of(noOpSlowRun, slow, noOpFastRun, otherShape));

        // then
        assertThat(comparisons).hasSize(1);
        assertThat(comparisons.get(0).noSlow()).isSameAs(noOpFastRun);
        assertThat(comparisons.get(0).wholeRunShare()).isCloseTo(0.75, within(1e-9));
        assertThat(comparisons.get(0).steadyShare()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void eachOrderingModeIsComparedWithItsOwnNoOpRunAndWithoutOneThereIsNoComparison() {
        // given
        Measurement keyNoOp = run("client-noop-1x", 12, OrderingMode.KEY, Scenario.Profile.NOOP, 80_000, 90_000);
        Measurement partitionNoOp = run("client-noop-partition", 12, OrderingMode.PARTITION, Scenario.Profile.NOOP, 40_000, 50_000);
        Measurement partitionSlow = run("client-slow1pct-partition", 12, OrderingMode.PARTITION, Scenario.Profile.SLOW_1PCT, 400, 500);
        Measurement unorderedSlow = run("client-slow1pct-unordered", 12, OrderingMode.UNORDERED, Scenario.Profile.SLOW_1PCT, 50_000, 60_000);

        // when
        List<SlowTaskComparison> comparisons = SlowTaskComparison.among(List.of(keyNoOp, partitionNoOp, partitionSlow, unorderedSlow));

        // then
        assertThat(comparisons).singleElement().satisfies(c -> {
            assertThat(c.slow()).isSameAs(partitionSlow);
            assertThat(c.noSlow()).isSameAs(partitionNoOp);
            assertThat(c.wholeRunShare()).isCloseTo(0.01, within(1e-9));
        });
    }

    private static Measurement run(String name, int partitions, OrderingMode ordering, Scenario.Profile profile, double perSecond,
                                   double steadyPerSecond) {
        Scenario scenario = new Scenario(name, partitions, 1, 256, ordering, profile, Scenario.Path.CLIENT, 100_000, 0);
        Histogram empty = new Histogram(3);
        return new Measurement(scenario, perSecond, steadyPerSecond, empty, new Measurement.Hops(empty, empty), List.of(1.0), 0.5,
                new CpuTime.Shares(0.9, 0), CpuPerItem.UNKNOWN);
    }
}
