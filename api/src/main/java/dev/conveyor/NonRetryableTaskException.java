package dev.conveyor;

/** Thrown by a handler when retrying cannot help (bad input, a refused request): the task goes straight to the dead-letter topic. */
public class NonRetryableTaskException extends Exception {

    public NonRetryableTaskException(String message) {
        super(message);
    }

    public NonRetryableTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
