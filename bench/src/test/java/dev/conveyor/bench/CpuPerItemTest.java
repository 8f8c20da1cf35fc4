package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CpuPerItemTest {

    @Test
    void cpuSpentBetweenTwoSamplesIsSharedOutOverTheItems() {
        // given: this JVM spent 1.5 s and the broker 0.4 s while 100,000 tasks went through
        CpuPerItem.Sample before = new CpuPerItem.Sample(Duration.ofMillis(2_000), Duration.ofMillis(700));
        CpuPerItem.Sample after = new CpuPerItem.Sample(Duration.ofMillis(3_500), Duration.ofMillis(1_100));

        // when
        CpuPerItem perTask = CpuPerItem.between(before, after, 100_000);

        // then
        assertThat(perTask.thisJvmMicros()).isCloseTo(15.0, within(1e-9));
        assertThat(perTask.brokerMicros()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aBrokerThatCouldNotBeReadIsUnknownAndThisJvmStillCounts() {
        // given: the benchmark was pointed at a broker it did not start
        CpuPerItem.Sample before = new CpuPerItem.Sample(Duration.ofMillis(1_000), null);
        CpuPerItem.Sample after = new CpuPerItem.Sample(Duration.ofMillis(1_200), null);

        // when
        CpuPerItem perRecord = CpuPerItem.between(before, after, 1_000);

        // then
        assertThat(perRecord.thisJvmMicros()).isCloseTo(200.0, within(1e-9));
        assertThat(perRecord.brokerMicros()).isNaN();
    }

    @Test
    void aProcessWhoseCpuTimeWentBackwardsWasRestartedAndIsUnknown() {
        // given: a broker restarted between the samples starts counting from zero again
        CpuPerItem.Sample before = new CpuPerItem.Sample(Duration.ofMillis(1_000), Duration.ofMillis(5_000));
        CpuPerItem.Sample after = new CpuPerItem.Sample(Duration.ofMillis(1_100), Duration.ofMillis(300));

        // when
        CpuPerItem perRecord = CpuPerItem.between(before, after, 10);

        // then
        assertThat(perRecord.brokerMicros()).isNaN();
        assertThat(perRecord.thisJvmMicros()).isCloseTo(10_000.0, within(1e-9));
    }

    @Test
    void noItemsGiveNoFigure() {
        CpuPerItem.Sample sample = new CpuPerItem.Sample(Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(CpuPerItem.between(sample, sample, 0)).isEqualTo(CpuPerItem.UNKNOWN);
    }
}
