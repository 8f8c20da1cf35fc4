package dev.conveyor.bench;

import dev.conveyor.OrderingMode;

/**
 * One measured configuration of the pipeline.
 *
 * @param partitions  partitions of {@code tasks} and {@code tasks.results}
 * @param processors  processor-app instances in the group
 * @param concurrency {@code MAX_CONCURRENCY} of each processor (handlers running at once)
 * @param tasks       tasks measured (after a warm-up)
 * @param rate        tasks per second for {@link Path#PACED}, else 0
 * @param maxInFlight {@code MAX_IN_FLIGHT} of each processor, or 0 for the default
 * @param lifecycle   whether the apps write lifecycle events (the default deployment)
 * @param view        whether a gateway folds them into the status view (the default deployment)
 */
record Scenario(String name, int partitions, int processors, int concurrency, OrderingMode ordering, Profile profile, Path path,
                int tasks, int rate, int maxInFlight, boolean lifecycle, boolean view, boolean started) {

    Scenario(String name, int partitions, int processors, int concurrency, OrderingMode ordering, Profile profile, Path path,
             int tasks, int rate) {
        this(name, partitions, processors, concurrency, ordering, profile, path, tasks, rate, 0, true, true, true);
    }

    Scenario(String name, int partitions, int processors, int concurrency, OrderingMode ordering, Profile profile, Path path,
             int tasks, int rate, int maxInFlight) {
        this(name, partitions, processors, concurrency, ordering, profile, path, tasks, rate, maxInFlight, true, true, true);
    }

    /** This scenario without lifecycle events and without the status view. */
    Scenario withoutLifecycle(String newName) {
        return new Scenario(newName, partitions, processors, concurrency, ordering, profile, path, tasks, rate, maxInFlight, false, false, false);
    }

    /** This scenario with lifecycle events written but no status view folding them. */
    Scenario withoutView(String newName) {
        return new Scenario(newName, partitions, processors, concurrency, ordering, profile, path, tasks, rate, maxInFlight, true, false, true);
    }

    /** This scenario with the view but without {@code STARTED} events (one record fewer per task). */
    Scenario withoutStarted(String newName) {
        return new Scenario(newName, partitions, processors, concurrency, ordering, profile, path, tasks, rate, maxInFlight, true, true, false);
    }

    /** What the handler does with each task. */
    enum Profile {
        /** returns at once */
        NOOP(0, 0),
        /** sleeps 10 ms, like a fast remote call */
        SLEEP_10MS(10, 0),
        /** no-op, but 1% of tasks sleep 1 s */
        SLOW_1PCT(0, 1_000);

        final int sleepMs;
        final int slowMs;

        Profile(int sleepMs, int slowMs) {
            this.sleepMs = sleepMs;
            this.slowMs = slowMs;
        }
    }

    /** How tasks are submitted. */
    enum Path {
        /** {@code TaskClient.submitAsync}, as fast as acknowledgements allow */
        CLIENT,
        /** {@code POST /tasks}, one task per request, 64 concurrent callers */
        HTTP,
        /** {@code POST /tasks/batch}, 500 tasks per request, 4 concurrent callers */
        HTTP_BATCH,
        /** {@code TaskClient.submitAsync} at a fixed rate; latency counts from each task's intended send time */
        PACED
    }
}
