package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.conveyor.OrderingMode;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SlowTaskPairTest {

    @Test
    void eachSlowRunIsPairedWithTheRunJustBeforeItIfThatIsANoOpRunWithItsLimits() {
        // given: alternations of no-op and slow with one set of limits, runs with other limits between, and slow runs
        // with no no-op run of their limits just before them
        Measurement noOp1 = run("client-noop-sized", 2048, 16_384, Scenario.Profile.NOOP, 100_000, 100_000);
        Measurement slow1 = run("client-slow1pct-key-sized", 2048, 16_384, Scenario.Profile.SLOW_1PCT, 80_000, 90_000);
        Measurement otherLimits = run("client-noop-1x", 256, 0, Scenario.Profile.NOOP, 150_000, 150_000);
        Measurement noOp2 = run("client-noop-sized", 2048, 16_384, Scenario.Profile.NOOP, 80_000, 90_000);
        Measurement slow2 = run("client-slow1pct-key-sized", 2048, 16_384, Scenario.Profile.SLOW_1PCT, 76_000, 81_000);
        Measurement slow3AfterASlowRun = run("client-slow1pct-key-sized", 2048, 16_384, Scenario.Profile.SLOW_1PCT, 10, 10);
        Measurement noOp3 = run("client-noop-sized", 2048, 16_384, Scenario.Profile.NOOP, 80_000, 90_000);
        Measurement between = run("client-noop-1x", 256, 0, Scenario.Profile.NOOP, 150_000, 150_000);
        Measurement slow4NotJustAfterItsNoOpRun = run("client-slow1pct-key-sized", 2048, 16_384, Scenario.Profile.SLOW_1PCT, 10, 10);

        // when
        List<SlowTaskPair> pairs = SlowTaskPair.among(List.of(noOp1, slow1, otherLimits, noOp2, slow2, slow3AfterASlowRun, noOp3, between,
                slow4NotJustAfterItsNoOpRun));

        // then
        assertThat(pairs).extracting(SlowTaskPair::noSlow, SlowTaskPair::slow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(noOp1, slow1), org.assertj.core.groups.Tuple.tuple(noOp2, slow2));
        assertThat(pairs.get(0).wholeRunShare()).isCloseTo(0.8, within(1e-9));
        assertThat(pairs.get(1).steadyShare()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void theMediansOfAScenariosPairsLeaveOutTheOddPair() {
        // given: three pairs, one of which caught the no-op run at a fast moment
        List<SlowTaskPair> pairs = List.of(
                pair(100_000, 84_000, 100_000, 88_000),
                pair(160_000, 80_000, 160_000, 80_000),
                pair(90_000, 81_000, 90_000, 81_000));

        // when
        List<SlowTaskPair.Medians> medians = SlowTaskPair.medians(pairs);

        // then
        assertThat(medians).singleElement().satisfies(m -> {
            assertThat(m.scenario()).isEqualTo("client-slow1pct-key-sized");
            assertThat(m.pairs()).isEqualTo(3);
            assertThat(m.wholeRunShare()).isCloseTo(0.84, within(1e-9));
            assertThat(m.steadyShare()).isCloseTo(0.88, within(1e-9));
            assertThat(m.lowestSteadyShare()).isCloseTo(0.5, within(1e-9));
            assertThat(m.highestSteadyShare()).isCloseTo(0.9, within(1e-9));
        });
    }

    @Test
    void anEvenNumberOfPairsTakesTheMeanOfTheMiddleTwo() {
        // given
        List<SlowTaskPair> pairs = List.of(pair(100_000, 70_000, 100_000, 70_000), pair(100_000, 90_000, 100_000, 90_000));

        // when
        SlowTaskPair.Medians medians = SlowTaskPair.medians(pairs).get(0);

        // then
        assertThat(medians.wholeRunShare()).isCloseTo(0.8, within(1e-9));
    }

    private static SlowTaskPair pair(double noSlowPerSecond, double slowPerSecond, double noSlowSteady, double slowSteady) {
        return new SlowTaskPair(run("client-noop-sized", 2048, 16_384, Scenario.Profile.NOOP, noSlowPerSecond, noSlowSteady),
                run("client-slow1pct-key-sized", 2048, 16_384, Scenario.Profile.SLOW_1PCT, slowPerSecond, slowSteady));
    }

    private static Measurement run(String name, int concurrency, int maxInFlight, Scenario.Profile profile, double perSecond,
                                   double steadyPerSecond) {
        Scenario scenario = new Scenario(name, 12, 1, concurrency, OrderingMode.KEY, profile, Scenario.Path.CLIENT, 100_000, 0, maxInFlight);
        Histogram empty = new Histogram(3);
        return new Measurement(scenario, perSecond, steadyPerSecond, empty, new Measurement.Hops(empty, empty), List.of(1.0), 0.5,
                new CpuTime.Shares(0.9, 0), CpuPerItem.UNKNOWN);
    }
}
