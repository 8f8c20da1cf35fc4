package dev.conveyor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's cumulative CPU time from {@code /proc/stat}, so a scenario can report how busy the
 * cores were and how much time the hypervisor took (steal). On the shared 2-vCPU VM the steal share
 * ranged from none to 60% between runs, which no figure here would show otherwise.
 */
record CpuTime(long busy, long steal, long total) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Zeros where {@code /proc/stat} is missing: the shares then read as unknown. */
    static CpuTime now() {
        try {
            return parse(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException unavailable) {
            return new CpuTime(0, 0, 0);
        }
    }

    /** The aggregate {@code cpu} line: user nice system idle iowait irq softirq [steal ...]. */
    static CpuTime parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
        }
        long busy = field(f, 1) + field(f, 2) + field(f, 3) + field(f, 6) + field(f, 7);
        long steal = field(f, 8);
        return new CpuTime(busy, steal, busy + field(f, 4) + field(f, 5) + steal);
    }

    /** Kernels before 2.6.11 have no steal column. */
    private static long field(String[] fields, int index) {
        return index < fields.length ? Long.parseLong(fields[index]) : 0;
    }

    /** Shares of the machine's CPU time between {@code earlier} and this sample. */
    Shares since(CpuTime earlier) {
        long elapsed = total - earlier.total;
        if (elapsed <= 0) {
            return new Shares(Double.NaN, Double.NaN);
        }
        return new Shares((double) (busy - earlier.busy) / elapsed, (double) (steal - earlier.steal) / elapsed);
    }

    /** {@code busy}: running anything, {@code steal}: taken by the hypervisor; both fractions of all CPU time. */
    record Shares(double busy, double steal) {
    }
}
