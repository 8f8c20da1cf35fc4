package dev.conveyor.processor;

import dev.conveyor.Env;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The handlers this processor runs, by task type, found as {@link TaskHandlerFactory} plugins at start-up. */
public final class HandlerRegistry {

    private final Map<String, TaskHandler> handlers;

    public HandlerRegistry(Map<String, TaskHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /** Every factory on the class path ({@code META-INF/services/dev.conveyor.TaskHandlerFactory}). */
    public static HandlerRegistry discover(Env env) {
        Map<String, TaskHandler> handlers = new TreeMap<>();
        Map<String, String> providers = new TreeMap<>();
        for (TaskHandlerFactory factory : ServiceLoader.load(TaskHandlerFactory.class)) {
            String previous = providers.putIfAbsent(factory.type(), factory.getClass().getName());
            if (previous != null) {
                throw new IllegalStateException("two handlers for task type '" + factory.type() + "': "
                        + previous + " and " + factory.getClass().getName());
            }
            handlers.put(factory.type(), factory.create(env));
        }
        return new HandlerRegistry(handlers);
    }

    public Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(handlers.keySet());
    }
}
