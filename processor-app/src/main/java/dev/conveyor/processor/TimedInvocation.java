package dev.conveyor.processor;

import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one handler attempt on its own virtual thread and interrupts it when it overruns its timeout. */
final class TimedInvocation {

    /** The attempt ran past its timeout; counts as a retryable failure. */
    static final class TaskTimeoutException extends Exception {
        TaskTimeoutException(String message) {
            super(message);
        }
    }

    private TimedInvocation() {
    }

    static String call(TaskHandler handler, TaskContext task, Duration timeout) throws Exception {
        FutureTask<String> attempt = new FutureTask<>(() -> handler.handle(task));
        Thread.ofVirtual().name("task-" + task.id()).start(attempt);
        try {
            return attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new TaskTimeoutException("attempt " + task.attempt() + " of " + task.type() + " ran past its " + timeout + " timeout");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (InterruptedException | CancellationException e) {
            cancel(attempt);
            throw e;
        }
    }

    private static void cancel(Future<?> attempt) {
        attempt.cancel(true);
    }
}
