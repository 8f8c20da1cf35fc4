package dev.conveyor.faults;

import dev.conveyor.producer.SubmittedTask;
import dev.conveyor.producer.TaskClient;
import dev.conveyor.producer.TaskSubmission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/** Submits many tasks through the Java client and returns the accepted ones. */
final class Submissions {

    private Submissions() {
    }

    /** Submits {@code count} tasks concurrently; every one must be acknowledged. */
    static List<SubmittedTask> submitAll(TaskClient client, int count, IntFunction<TaskSubmission> task) {
        List<CompletableFuture<SubmittedTask>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pending.add(client.submitAsync(task.apply(i)));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }
}
