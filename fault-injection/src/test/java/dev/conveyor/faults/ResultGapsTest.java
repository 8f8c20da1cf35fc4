package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultGapsTest {

    static final Instant FAULT = Instant.ofEpochMilli(10_000);

    @Test
    void theLongestGapSpanningTheFaultIsMeasuredFromTheLastResultBeforeIt() {
        // given results every 100 ms, then none from 9,900 ms until 22,900 ms, in any order
        List<Long> timestamps = List.of(22_900L, 9_800L, 9_900L, 23_000L);

        // when the gaps around the fault at 10,000 ms are measured
        ResultGaps gaps = ResultGaps.around(FAULT, timestamps);

        // then the stall is 13 s, begun 100 ms before the fault
        assertThat(gaps.longest()).isEqualTo(Duration.ofMillis(13_000));
        assertThat(gaps.startAfter(FAULT)).isEqualTo(Duration.ofMillis(-100));
    }

    @Test
    void aGapThatBeginsAfterTheWindowBelongsToTheNextFault() {
        // given a 4 s pause that begins 1 s after the fault and a 9 s one that begins 6 s after it
        List<Long> timestamps = List.of(9_900L, 10_500L, 11_000L, 15_000L, 16_000L, 25_000L);

        // when measured within 5 s of the fault, then only the first counts; a wider window, or none, takes the second
        assertThat(ResultGaps.around(FAULT, timestamps, Duration.ofSeconds(5)).longest()).isEqualTo(Duration.ofMillis(4_000));
        assertThat(ResultGaps.around(FAULT, timestamps, Duration.ofSeconds(7)).longest()).isEqualTo(Duration.ofMillis(9_000));
        assertThat(ResultGaps.around(FAULT, timestamps).longest()).isEqualTo(Duration.ofMillis(9_000));
    }

    @Test
    void aLongerGapThatEndedBeforeTheFaultIsNotItsStall() {
        // given a 6 s pause long before the fault and a 2 s one after it
        List<Long> timestamps = List.of(0L, 6_000L, 9_900L, 10_500L, 12_500L);

        // when measured, then only what ends after the fault counts
        ResultGaps gaps = ResultGaps.around(FAULT, timestamps);
        assertThat(gaps.longest()).isEqualTo(Duration.ofMillis(2_000));
        assertThat(gaps.startAfter(FAULT)).isEqualTo(Duration.ofMillis(500));
    }
}
