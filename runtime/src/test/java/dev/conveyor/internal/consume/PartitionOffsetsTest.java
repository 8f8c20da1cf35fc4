package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    @Test
    void givenNothingHandedOutThenNothingIsCommittable() {
        assertThat(new PartitionOffsets().committable()).isEmpty();
    }

    @Test
    void givenAnUnfinishedOffsetWhenLaterOnesFinishThenTheCommitStopsAtIt() {
        PartitionOffsets offsets = new PartitionOffsets();
        for (long o = 10; o <= 14; o++) {
            offsets.begin(o);
        }

        offsets.complete(10);
        offsets.complete(12);
        offsets.complete(13);
        offsets.complete(14);

        assertThat(offsets.committable()).hasValue(11);
        assertThat(offsets.inFlight()).isEqualTo(1);
    }

    @Test
    void givenEverythingFinishedThenTheCommitIsOnePastTheHighest() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.begin(3);
        offsets.begin(4);
        offsets.complete(4);
        offsets.complete(3);

        assertThat(offsets.committable()).hasValue(5);
    }

    @Test
    void givenACommittedOffsetThenOnlyProgressIsCommittableAgain() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.begin(0);
        offsets.complete(0);
        offsets.markCommitted(1);

        assertThat(offsets.committable()).isEmpty();

        offsets.begin(1);
        assertThat(offsets.committable()).isEmpty();
        offsets.complete(1);
        assertThat(offsets.committable()).hasValue(2);
    }

    @Test
    void givenADuplicateCompletionThenTheInFlightCountIsNotCorrupted() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.begin(7);
        offsets.complete(7);
        offsets.complete(7);

        assertThat(offsets.inFlight()).isZero();
    }
}
