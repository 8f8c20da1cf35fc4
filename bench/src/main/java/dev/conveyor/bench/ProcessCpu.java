package dev.conveyor.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the cumulative CPU time of this JVM and of the broker process the benchmark started, through
 * {@link ProcessHandle.Info#totalCpuDuration()} (on Linux {@code /proc/<pid>/stat}, in 10 ms ticks: a
 * measured run spends hundreds of them).
 */
final class ProcessCpu {

    private final ProcessHandle thisJvm = ProcessHandle.current();
    private final Optional<ProcessHandle> broker;

    /** {@code brokerPid} empty: the broker is not ours to read (the benchmark was pointed at yours). */
    ProcessCpu(OptionalLong brokerPid) {
        this.broker = brokerPid.isPresent() ? ProcessHandle.of(brokerPid.getAsLong()) : Optional.empty();
    }

    CpuPerItem.Sample now() {
        return new CpuPerItem.Sample(cpu(thisJvm), broker.map(ProcessCpu::cpu).orElse(null));
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(null);
    }
}
