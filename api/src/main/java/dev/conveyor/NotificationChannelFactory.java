package dev.conveyor;

/** Creates one {@link NotificationChannel}; loaded with {@link java.util.ServiceLoader}. */
public interface NotificationChannelFactory {

    /** The channel's name, as listed in {@code NOTIFIER_CHANNELS}, e.g. {@code webhook}. */
    String name();

    /** Builds the channel from the notifier's environment; fail with {@link ConfigException}. */
    NotificationChannel create(Env env);
}
