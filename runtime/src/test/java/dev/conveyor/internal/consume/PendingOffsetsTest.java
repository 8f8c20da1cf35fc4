package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingOffsetsTest {

    final PendingOffsets pending = new PendingOffsets();

    @Test
    void givenNothingAddedThenThereIsNoLowest() {
        assertThat(pending.lowest()).isEqualTo(PendingOffsets.NONE);
    }

    @Test
    void givenOffsetsFinishedOutOfOrderThenTheLowestIsTheFirstUnfinished() {
        for (long o = 100; o < 105; o++) {
            pending.add(o);
        }

        pending.finish(101);
        pending.finish(103);
        assertThat(pending.lowest()).isEqualTo(100);

        pending.finish(100);
        assertThat(pending.lowest()).isEqualTo(102);

        pending.finish(102);
        pending.finish(104);
        assertThat(pending.lowest()).isEqualTo(PendingOffsets.NONE);
    }

    @Test
    void givenMoreOffsetsThanTheRingHoldsWhileItWrapsThenNoneIsLost() {
        // finish the head repeatedly so the ring wraps, keeping one early offset unfinished so it must grow too
        pending.add(0);
        long next = 1;
        for (int round = 0; round < 500; round++) {
            pending.add(next);
            pending.add(next + 1);
            pending.finish(next);
            next += 2;
        }

        assertThat(pending.lowest()).isEqualTo(0);
        pending.finish(0);
        // every second offset (2, 4, ...) is still unfinished
        assertThat(pending.lowest()).isEqualTo(2);
        for (long o = 2; o < next; o += 2) {
            assertThat(pending.finish(o)).as("offset %d", o).isTrue();
        }
        assertThat(pending.lowest()).isEqualTo(PendingOffsets.NONE);
    }

    @Test
    void givenAnOffsetAddedOutOfOrderThenItIsPlacedInOrder() {
        pending.add(10);
        pending.add(30);

        pending.add(20);
        pending.finish(10);

        assertThat(pending.lowest()).isEqualTo(20);
    }

    @Test
    void givenAnUnknownOrAlreadyFinishedOffsetThenFinishReportsFalse() {
        pending.add(5);
        pending.add(6);

        assertThat(pending.finish(7)).isFalse();
        assertThat(pending.finish(6)).isTrue();
        assertThat(pending.finish(6)).isFalse();
        assertThat(pending.lowest()).isEqualTo(5);
    }
}
