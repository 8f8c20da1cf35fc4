package dev.conveyor.processor.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.Env;
import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;

/**
 * {@code fail}: shows what failures look like downstream. Fails with {@code payload.message};
 * with {@code payload.failAttempts: k} only the first k attempts fail (then it succeeds), and with
 * {@code payload.nonRetryable: true} it fails in a way no retry can fix.
 */
public final class FailHandler implements TaskHandlerFactory {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public TaskHandler create(Env env) {
        return task -> {
            JsonNode payload = task.payloadJson();
            String message = payload.path("message").asText("demo failure");
            if (payload.path("nonRetryable").asBoolean(false)) {
                throw new NonRetryableTaskException(message);
            }
            if (payload.has("failAttempts") && task.attempt() > payload.path("failAttempts").asInt()) {
                return "{\"succeededOnAttempt\":" + task.attempt() + "}";
            }
            throw new IllegalStateException(message + " (attempt " + task.attempt() + ")");
        };
    }
}
