package dev.conveyor.stack;

import java.util.List;

/**
 * How the broker's heap is sized. A benchmark wants it fixed and touched at start: on a VM that
 * reports free memory back to its host (virtio-balloon free page reporting, as on the benchmark
 * machine), the first write to each page the heap grows into faults to the host, and that cost
 * lands inside whatever is being measured.
 */
public enum BrokerHeap {
    /** Starts small and grows: what tests and the local run want (quick start, little memory). */
    GROWING(List.of("-Xmx" + BrokerHeap.MAX)),
    /** Committed and written in full before the broker starts serving. */
    FIXED_PRE_TOUCHED(List.of("-Xms" + BrokerHeap.MAX, "-Xmx" + BrokerHeap.MAX, "-XX:+AlwaysPreTouch"));

    static final String MAX = "768m";

    private final List<String> jvmOptions;

    BrokerHeap(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }
}
