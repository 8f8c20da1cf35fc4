package dev.conveyor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of one metric by the values of two tags, registered on first use. Counted per record,
 * so the lookup builds nothing: building the meter id, and later a joined key, per record showed in
 * profiles.
 */
public final class CountersByTwoTags {

    private final MeterRegistry meters;
    private final String metric;
    private final String firstTag;
    private final String secondTag;
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    public CountersByTwoTags(MeterRegistry meters, String metric, String firstTag, String secondTag) {
        this.meters = meters;
        this.metric = metric;
        this.firstTag = firstTag;
        this.secondTag = secondTag;
    }

    public void increment(String first, String second) {
        Map<String, Counter> byFirst = counters.get(first);
        if (byFirst == null) {
            byFirst = counters.computeIfAbsent(first, k -> new ConcurrentHashMap<>());
        }
        Counter counter = byFirst.get(second);
        if (counter == null) {
            counter = byFirst.computeIfAbsent(second, k -> Counter.builder(metric).tag(firstTag, first).tag(secondTag, second).register(meters));
        }
        counter.increment();
    }
}
