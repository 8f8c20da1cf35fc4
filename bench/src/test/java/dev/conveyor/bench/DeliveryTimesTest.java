package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DeliveryTimesTest {

    private static final long MS = 1_000_000;

    @Test
    void aSteadyStreamIsMeasuredAtItsOwnRate() {
        // given: 1,000 deliveries, one per millisecond
        DeliveryTimes times = new DeliveryTimes(1_000);
        for (int i = 0; i < 1_000; i++) {
            times.record(i * MS);
        }

        // when
        double rate = times.steadyPerSecond();

        // then
        assertThat(rate).isCloseTo(1_000, within(0.5));
    }

    @Test
    void aTailOfLateDeliveriesDoesNotLowerTheSteadyRate() {
        // given: 990 deliveries at 1,000/s, then the last 1% a second later, as slow tasks end
        DeliveryTimes times = new DeliveryTimes(1_000);
        for (int i = 0; i < 990; i++) {
            times.record(i * MS);
        }
        for (int i = 990; i < 1_000; i++) {
            times.record((i + 1_000) * MS);
        }

        // when
        double rate = times.steadyPerSecond();

        // then: the whole run would read 1,000 deliveries in 2 s
        assertThat(rate).isCloseTo(1_000, within(0.5));
    }

    @Test
    void deliveriesRecordedOutOfOrderAreSortedFirst() {
        // given: the same stream from several notifier threads, recorded in another order
        DeliveryTimes times = new DeliveryTimes(1_000);
        for (int i = 999; i >= 0; i--) {
            times.record(i * 2 * MS);
        }

        // when / then
        assertThat(times.steadyPerSecond()).isCloseTo(500, within(0.5));
    }

    @Test
    void aResetDropsTheWarmUpsDeliveries() {
        // given: a warm-up at 100/s, then the measured run at 1,000/s
        DeliveryTimes times = new DeliveryTimes(1_000);
        for (int i = 0; i < 500; i++) {
            times.record(i * 10 * MS);
        }
        times.reset();
        for (int i = 0; i < 1_000; i++) {
            times.record(10_000 * MS + i * MS);
        }

        // when / then
        assertThat(times.steadyPerSecond()).isCloseTo(1_000, within(0.5));
    }

    @Test
    void deliveriesBeyondTheCapacityAreNotKeptAndTooFewHaveNoRate() {
        // given
        DeliveryTimes full = new DeliveryTimes(100);
        for (int i = 0; i < 100; i++) {
            full.record(i * MS);
        }
        full.record(1_000_000 * MS);
        DeliveryTimes few = new DeliveryTimes(100);
        few.record(0);

        // when / then: the redelivered extra a long time later does not count
        assertThat(full.steadyPerSecond()).isCloseTo(1_000, within(0.5));
        assertThat(few.steadyPerSecond()).isNaN();
    }
}
