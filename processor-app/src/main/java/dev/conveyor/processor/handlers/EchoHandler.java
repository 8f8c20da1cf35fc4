package dev.conveyor.processor.handlers;

import dev.conveyor.Env;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;

/** {@code echo}: returns its payload; the cheapest possible task, for smoke tests and benchmarks. */
public final class EchoHandler implements TaskHandlerFactory {

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public TaskHandler create(Env env) {
        return task -> task.payload();
    }
}
