package dev.conveyor.notifier;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.NotificationChannel;
import dev.conveyor.NotificationChannelFactory;
import java.net.http.HttpClient;
import java.time.Duration;

/** The {@code webhook} channel, with its per-attempt timeout from {@code WEBHOOK_TIMEOUT}. */
public final class WebhookChannelFactory implements NotificationChannelFactory {

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public NotificationChannel create(Env env) {
        Duration timeout = env.duration(NotifierAppConfig.WEBHOOK_TIMEOUT, NotifierAppConfig.DEFAULT_WEBHOOK_TIMEOUT);
        if (timeout.toMillis() < 1) {
            throw new ConfigException(NotifierAppConfig.WEBHOOK_TIMEOUT, "must be positive");
        }
        return new WebhookChannel(HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
    }
}
