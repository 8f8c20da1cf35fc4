package dev.conveyor.processor.handlers;

import dev.conveyor.Env;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;

/** {@code fail}: always fails with {@code payload.message}; shows what a failing task looks like downstream. */
public final class FailHandler implements TaskHandlerFactory {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public TaskHandler create(Env env) {
        return task -> {
            String message = task.payloadJson().path("message").asText("demo failure");
            throw new IllegalStateException(message);
        };
    }
}
