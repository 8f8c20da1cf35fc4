package dev.conveyor.internal.consume;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offset tracking on the hot path: every record is begun and completed once, and the committable
 * offset is read once per poll (here every 500 records), with completions arriving out of order
 * within a window as they do with concurrent handlers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OffsetTrackingBenchmark {

    private static final int WINDOW = 64;

    private PartitionOffsets offsets;
    private long next;

    @Setup
    public void setUp() {
        offsets = new PartitionOffsets();
        next = 0;
        for (int i = 0; i < WINDOW; i++) {
            offsets.begin(next++);
        }
    }

    /** One record: begin a new offset, complete one from the window (out of order), sometimes read the commit point. */
    @Benchmark
    public long beginCompleteCommit() {
        long offset = next++;
        offsets.begin(offset);
        // complete an offset from inside the window, not the oldest: completions overtake each other
        offsets.complete(offset - WINDOW + (offset * 7 % WINDOW) / 2);
        offsets.complete(offset - WINDOW);
        if (offset % 500 == 0) {
            return offsets.committable().orElse(-1);
        }
        return offset;
    }
}
