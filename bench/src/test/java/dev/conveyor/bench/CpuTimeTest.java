package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuTimeTest {

    @Test
    void busyAndStealAreSharesOfAllCpuTimeBetweenTwoSamples() {
        // given: user nice system idle iowait irq softirq steal guest guest_nice
        CpuTime before = CpuTime.parse("cpu  1000 0 200 5000 100 0 50 0 0 0");
        CpuTime after = CpuTime.parse("cpu  1500 0 300 5200 100 0 100 200 0 0");

        // when
        CpuTime.Shares shares = after.since(before);

        // then: 650 busy, 200 idle, 200 steal of 1,050
        assertThat(shares.busy()).isCloseTo(650.0 / 1050, within(1e-9));
        assertThat(shares.steal()).isCloseTo(200.0 / 1050, within(1e-9));
    }

    @Test
    void aKernelWithoutTheStealColumnReadsAsNoSteal() {
        // given
        CpuTime before = CpuTime.parse("cpu 100 0 0 100 0 0 0");
        CpuTime after = CpuTime.parse("cpu 200 0 0 200 0 0 0");

        // when
        CpuTime.Shares shares = after.since(before);

        // then
        assertThat(shares.busy()).isEqualTo(0.5);
        assertThat(shares.steal()).isZero();
    }

    @Test
    void noTimePassingGivesUnknownShares() {
        // given
        CpuTime sample = CpuTime.parse("cpu 100 0 0 100 0 0 0 0");

        // when
        CpuTime.Shares shares = sample.since(sample);

        // then
        assertThat(shares.busy()).isNaN();
        assertThat(shares.steal()).isNaN();
    }

    @Test
    void refusesAPerCoreLine() {
        assertThatThrownBy(() -> CpuTime.parse("cpu0 100 0 0 100 0 0 0 0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu0");
    }
}
