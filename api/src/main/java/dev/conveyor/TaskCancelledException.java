package dev.conveyor;

/** Thrown by a handler that decides the task should not run after all: no retry, a terminal CANCELLED result. */
public class TaskCancelledException extends Exception {

    public TaskCancelledException(String message) {
        super(message);
    }
}
