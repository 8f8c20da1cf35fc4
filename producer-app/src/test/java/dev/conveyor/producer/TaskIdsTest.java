package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

    @Test
    void givenASubmissionTimeThenTheIdIsAVersion7UuidCarryingIt() {
        // given
        long at = 1_764_590_400_123L;

        // when
        UUID id = UUID.fromString(TaskIds.next(at));

        // then
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at);
    }

    @Test
    void givenIdsOfLaterMillisecondsThenTheySortAfterEarlierOnes() {
        // given / when
        String earlier = TaskIds.next(1_000_000L);
        String later = TaskIds.next(1_000_001L);

        // then: as strings, the form they travel in
        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void givenManyIdsInOneMillisecondThenNoneRepeats() {
        // given / when
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(TaskIds.next(42L));
        }

        // then
        assertThat(ids).hasSize(200_000);
    }
}
