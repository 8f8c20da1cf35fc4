package dev.conveyor.bench;

import dev.conveyor.TaskHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handler under benchmark: sleeps for the task header {@value #SLEEP_MS} (absent: returns at once),
 * so profiles cost no JSON parsing on the hot path.
 */
final class BenchHandler {

    static final String TYPE = "bench";
    static final String SLEEP_MS = "bench.sleepMs";

    private BenchHandler() {
    }

    static TaskHandler create() {
        return task -> {
            String sleep = task.headers().get(SLEEP_MS);
            if (sleep != null) {
                // the sleep is the simulated work itself
                TimeUnit.MILLISECONDS.sleep(Long.parseLong(sleep));
            }
            return null;
        };
    }
}
