package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void readsTheCpuTimeThisJvmAndAnotherProcessSpend() {
        // given: this JVM's own process stands in for the broker, so both readings must move
        ProcessCpu cpu = new ProcessCpu(OptionalLong.of(ProcessHandle.current().pid()));
        CpuPerItem.Sample before = cpu.now();
        assertThat(before.thisJvm()).isNotNull();
        assertThat(before.broker()).isNotNull();
        AtomicLong spin = new AtomicLong();

        // when / then: spending CPU shows up in both readings (in ticks of 10 ms)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                spin.addAndGet(i ^ spin.get());
            }
            CpuPerItem.Sample now = cpu.now();
            return now.thisJvm().compareTo(before.thisJvm()) > 0 && now.broker().compareTo(before.broker()) > 0;
        });
    }

    @Test
    void aBrokerItWasNotToldAboutIsNotRead() {
        ProcessCpu cpu = new ProcessCpu(OptionalLong.empty());

        assertThat(cpu.now().broker()).isNull();
        assertThat(cpu.now().thisJvm()).isNotNull();
    }
}
