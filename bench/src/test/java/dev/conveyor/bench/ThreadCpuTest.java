package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadsOfOneRoleShareAKindWhateverTheirNumbersAndRandomIds() {
        // given the threads of two producers of one role, created by different runs
        String first = "kafka-producer-network-thread | bench-processor-3be4c5-1234-7baa3c-out";
        String second = "kafka-producer-network-thread | bench-processor-a1b2c3-99-d4e5f6-out";
        // when they are sorted into kinds
        // then they are one kind, and a pool's numbered workers are one kind
        assertThat(ThreadCpu.kind(first)).isEqualTo(ThreadCpu.kind(second));
        assertThat(ThreadCpu.kind("ForkJoinPool-1-worker-3")).isEqualTo(ThreadCpu.kind("ForkJoinPool-1-worker-12"));
    }

    @Test
    void differentRolesStayApart() {
        // given a processor's and a notifier's poll threads
        // then they are different kinds
        assertThat(ThreadCpu.kind("bench-processor-3be4c5-poll")).isNotEqualTo(ThreadCpu.kind("bench-notifier-3be4c5-poll"));
        assertThat(ThreadCpu.kind("bench-status-3be4c5-0b1e6f0c-35d1-4d3e-9a55-2f3a1b2c3d4e-StreamThread-1"))
                .isEqualTo("bench-status-<id>-<uuid>-StreamThread-#");
    }
}
