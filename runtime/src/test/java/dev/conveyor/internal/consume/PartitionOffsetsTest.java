package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    @Test
    void givenAbandonedWorkThenItIsNoLongerInFlightButNoCommitPassesIt() {
        PartitionOffsets offsets = new PartitionOffsets();
        offsets.begin(5);
        offsets.begin(6);
        offsets.complete(6);

        offsets.abandon(5);

        assertThat(offsets.inFlight()).isZero();
        assertThat(offsets.committable()).hasValue(5);
    }

    @Test
    void givenHeldOutputsThenOnlyThoseBelowTheCommittableOffsetAreTakenInOffsetOrder() {
        PartitionOffsets offsets = new PartitionOffsets();
        for (long o = 0; o <= 3; o++) {
            offsets.begin(o);
        }
        offsets.complete(1, List.of(output("b")));
        offsets.complete(0, List.of(output("a1"), output("a2")));
        offsets.complete(3, List.of(output("d")));

        long next = offsets.committable().orElseThrow();
        List<ProducerRecord<String, SpecificRecord>> taken = offsets.takeOutputsBelow(next);

        assertThat(next).isEqualTo(2);
        assertThat(taken).extracting(ProducerRecord::key).containsExactly("a1", "a2", "b");
        assertThat(offsets.takeOutputsBelow(next)).as("taken once").isEmpty();
        offsets.complete(2);
        assertThat(offsets.takeOutputsBelow(offsets.committable().orElseThrow())).extracting(ProducerRecord::key).containsExactly("d");
    }

    private static ProducerRecord<String, SpecificRecord> output(String key) {
        return new ProducerRecord<>("out", key, null);
    }
}
