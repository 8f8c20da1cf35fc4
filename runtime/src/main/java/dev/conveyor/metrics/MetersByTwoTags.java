package dev.conveyor.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one metric by the values of two tags, registered on first use. Looked up per record,
 * so the lookup builds nothing: building the meter id, and later a joined key, per record showed in
 * profiles.
 *
 * @param <M> the meter (counter, timer, ...)
 */
public final class MetersByTwoTags<M> {

    /** Registers the meter of one pair of tag values; called once per pair. */
    @FunctionalInterface
    public interface Registration<M> {
        M register(String first, String second);
    }

    private final Registration<M> registration;
    private final Map<String, Map<String, M>> meters = new ConcurrentHashMap<>();

    public MetersByTwoTags(Registration<M> registration) {
        this.registration = registration;
    }

    public M get(String first, String second) {
        Map<String, M> byFirst = meters.get(first);
        if (byFirst == null) {
            byFirst = meters.computeIfAbsent(first, k -> new ConcurrentHashMap<>());
        }
        M meter = byFirst.get(second);
        if (meter == null) {
            meter = byFirst.computeIfAbsent(second, k -> registration.register(first, second));
        }
        return meter;
    }
}
