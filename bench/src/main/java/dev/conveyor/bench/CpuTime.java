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
            String line = Files.readAllLines(PROC_STAT).get(0);
            String[] f = line.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq;
            return new CpuTime(busy, steal, busy + idle + iowait + steal);
        } catch (IOException | RuntimeException unavailable) {
            return new CpuTime(0, 0, 0);
        }
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
