package dev.conveyor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    final StoredDeadLetter exhausted = stored(0, 7, "RETRIES_EXHAUSTED", "email.send", "SMTP down", T);
    final StoredDeadLetter undecodable = new StoredDeadLetter(1, 3, null, DeadLetter.newBuilder().setReason("UNDECODABLE")
            .setError("not Avro").setFailedAt(T.plusSeconds(60)).setOriginalTopic("tasks").setOriginalPartition(0).setOriginalOffset(1)
            .setOriginalValue(java.nio.ByteBuffer.wrap(new byte[] {0, 0x7f, (byte) 0xff})).build(), Map.of());

    @Test
    void givenNoCriteriaThenEverythingMatches() {
        assertThat(DeadLetterFilter.all().matches(exhausted)).isTrue();
        assertThat(DeadLetterFilter.all().matches(undecodable)).isTrue();
    }

    @Test
    void givenCriteriaThenAllMustHold() {
        assertThat(new DeadLetterFilter("email.send", "retries_exhausted", null, null, null, Set.of()).matches(exhausted)).isTrue();
        assertThat(new DeadLetterFilter("email.send", null, null, null, null, Set.of()).matches(undecodable)).isFalse();
        assertThat(new DeadLetterFilter(null, null, T, T.plusSeconds(1), null, Set.of()).matches(exhausted)).isTrue();
        assertThat(new DeadLetterFilter(null, null, T.plusSeconds(1), null, null, Set.of()).matches(exhausted)).isFalse();
        assertThat(new DeadLetterFilter(null, null, null, T, null, Set.of()).matches(exhausted)).isFalse();
        assertThat(new DeadLetterFilter(null, null, null, null, "smtp", Set.of()).matches(exhausted)).isTrue();
        assertThat(new DeadLetterFilter(null, null, null, null, "timeout on attempt 2", Set.of()).matches(exhausted)).isTrue();
        assertThat(new DeadLetterFilter(null, null, null, null, null, Set.of("0:7")).matches(exhausted)).isTrue();
        assertThat(new DeadLetterFilter(null, null, null, null, null, Set.of("0:7")).matches(undecodable)).isFalse();
    }

    @Test
    void givenAnUndecodableLetterThenItCannotBeReplayed() {
        assertThat(exhausted.replayable()).isTrue();
        assertThat(undecodable.replayable()).isFalse();
        assertThat(undecodable.taskType()).isEqualTo("-");
    }

    static StoredDeadLetter stored(int partition, long offset, String reason, String type, String error, Instant at) {
        TaskRequest request = TaskRequest.newBuilder().setId("t-" + offset).setType(type).setKey("k").setPayload("{}")
                .setSubmittedAt(at).setAttempt(1).setHeaders(Map.of()).build();
        return new StoredDeadLetter(partition, offset, "k", DeadLetter.newBuilder().setReason(reason).setError(error).setFailedAt(at)
                .setOriginalTopic("tasks").setOriginalPartition(0).setOriginalOffset(offset).setRequest(request)
                .setHistory(List.of(AttemptFailure.newBuilder().setAttempt(2).setFailedAt(at).setError("timeout on attempt 2").build()))
                .build(), Map.of());
    }

    @Test
    void givenAnUndecodableLetterThenItsBytesShowAsHexAndItIsNotReplayable() {
        assertThat(undecodable.originalValueHex()).isEqualTo("007fff");
        assertThat(undecodable.replayable()).isFalse();
        assertThat(exhausted.originalValueHex()).isEmpty();
        assertThat(exhausted.replayable()).isTrue();
    }
}
