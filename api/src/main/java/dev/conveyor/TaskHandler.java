package dev.conveyor;

/**
 * Runs tasks of one type. Implementations are plugins: a {@link TaskHandlerFactory} listed in
 * {@code META-INF/services/dev.conveyor.TaskHandlerFactory} is found at start-up. Handlers run on
 * virtual threads, so blocking I/O is fine; many tasks run at once, so handlers must be thread-safe.
 */
@FunctionalInterface
public interface TaskHandler {

    /**
     * Runs one attempt of a task.
     *
     * @return the output as JSON text, or null for none
     * @throws Exception to fail this attempt
     */
    String handle(TaskContext task) throws Exception;
}
