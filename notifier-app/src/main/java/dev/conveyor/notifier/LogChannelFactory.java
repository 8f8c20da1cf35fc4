package dev.conveyor.notifier;

import dev.conveyor.Env;
import dev.conveyor.NotificationChannel;
import dev.conveyor.NotificationChannelFactory;

/** The {@code log} channel. */
public final class LogChannelFactory implements NotificationChannelFactory {

    @Override
    public String name() {
        return "log";
    }

    @Override
    public NotificationChannel create(Env env) {
        return new LogChannel();
    }
}
