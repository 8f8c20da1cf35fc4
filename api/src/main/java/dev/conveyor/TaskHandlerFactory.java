package dev.conveyor;

/** Creates the {@link TaskHandler} of one task type; loaded with {@link java.util.ServiceLoader}. */
public interface TaskHandlerFactory {

    /** The task type this handler runs, e.g. {@code email.send}. */
    String type();

    /** Builds the handler from the app's environment (e.g. SMTP settings); fail with {@link ConfigException}. */
    TaskHandler create(Env env);
}
