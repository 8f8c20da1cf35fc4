package dev.conveyor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters of one metric by the values of two tags, registered on first use ({@link MetersByTwoTags}). */
public final class CountersByTwoTags {

    private final MetersByTwoTags<Counter> counters;

    public CountersByTwoTags(MeterRegistry meters, String metric, String firstTag, String secondTag) {
        this.counters = new MetersByTwoTags<>((first, second) -> Counter.builder(metric).tag(firstTag, first).tag(secondTag, second)
                .register(meters));
    }

    public void increment(String first, String second) {
        counters.get(first, second).increment();
    }
}
