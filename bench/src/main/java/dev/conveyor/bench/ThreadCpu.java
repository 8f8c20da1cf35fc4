package dev.conveyor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.stream.Collectors;

/**
 * This JVM's CPU time by kind of thread (a thread's name with its digits folded), so a scenario can say
 * which part of the apps it runs spends the CPU: the processor's handlers, the Kafka clients' network
 * threads, the status view's stream thread. Threads that end between two samples are not counted.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> nanosById;
    private final Map<Long, String> kindById;

    private ThreadCpu(Map<Long, Long> nanosById, Map<Long, String> kindById) {
        this.nanosById = nanosById;
        this.kindById = kindById;
    }

    static ThreadCpu now() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> kinds = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                nanos.put(info.getThreadId(), cpu);
                kinds.put(info.getThreadId(), kind(info.getThreadName()));
            }
        }
        return new ThreadCpu(nanos, kinds);
    }

    /** A thread's name without its numbers and client ids' random parts: one kind per pool or client role. */
    static String kind(String threadName) {
        return threadName.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<uuid>").replaceAll("\\b[0-9a-f]{5,}\\b", "<id>")
                .replaceAll("[0-9]+", "#");
    }

    /** Microseconds of CPU per item by kind of thread since {@code earlier}, the largest first. */
    Map<String, Double> microsPerItemSince(ThreadCpu earlier, long items) {
        Map<String, Long> byKind = new HashMap<>();
        for (Entry<Long, Long> thread : nanosById.entrySet()) {
            long before = earlier.nanosById.getOrDefault(thread.getKey(), 0L);
            byKind.merge(kindById.get(thread.getKey()), thread.getValue() - before, Long::sum);
        }
        return byKind.entrySet().stream().sorted(Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Entry::getKey, e -> e.getValue() / 1_000.0 / items, (a, b) -> a, LinkedHashMap::new));
    }
}
