package dev.conveyor.internal.consume;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Key-ordered dispatch: the cost the sequencer adds per record, for work that releases its key at once. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DispatchBenchmark {

    @Param({"1", "1000"})
    int keys;

    private KeyedSequencer sequencer;
    private String[] names;
    private int i;

    @Setup
    public void setUp() {
        sequencer = new KeyedSequencer();
        names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = "key-" + k;
        }
    }

    @Benchmark
    public void keyed() {
        sequencer.submit(names[i++ % keys], KeyedSequencer.Held::release);
    }

    @Benchmark
    public void unordered() {
        sequencer.submit(null, KeyedSequencer.Held::release);
    }
}
