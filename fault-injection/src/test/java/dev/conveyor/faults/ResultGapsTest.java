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
    void aLongerGapThatEndedBeforeTheFaultIsNotItsStall() {
        // given a 6 s pause long before the fault and a 2 s one after it
        List<Long> timestamps = List.of(0L, 6_000L, 9_900L, 10_500L, 12_500L);

        // when measured, then only what ends after the fault counts
        ResultGaps gaps = ResultGaps.around(FAULT, timestamps);
        assertThat(gaps.longest()).isEqualTo(Duration.ofMillis(2_000));
        assertThat(gaps.startAfter(FAULT)).isEqualTo(Duration.ofMillis(500));
    }
}
