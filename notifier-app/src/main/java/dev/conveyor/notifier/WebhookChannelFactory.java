package dev.conveyor.notifier;

import dev.conveyor.Env;
import dev.conveyor.NotificationChannel;
import dev.conveyor.NotificationChannelFactory;
import dev.conveyor.net.AddressPolicy;
import java.net.InetAddress;
import java.time.Clock;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code webhook} channel, configured by {@link WebhookSettings} ({@code WEBHOOK_*}). */
public final class WebhookChannelFactory implements NotificationChannelFactory {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChannelFactory.class);

    @Override
    public String name() {
        return WebhookChannel.NAME;
    }

    @Override
    public NotificationChannel create(Env env) {
        WebhookSettings settings = WebhookSettings.load(env);
        if (!settings.secrets().signing()) {
            LOG.warn("{}={}: webhooks are sent unsigned, and receivers cannot tell them from forgeries", WebhookSettings.SIGNING,
                    WebhookSettings.SIGNING_NONE);
        }
        return create(settings, InetAddress::getAllByName, new SslContextFactory.Client(), Clock.systemUTC());
    }

    /** The channel with its side effects given: name lookup, TLS trust and clock (tests give their own). */
    static WebhookChannel create(WebhookSettings settings, CheckedAddressResolver.Lookup lookup, SslContextFactory.Client tls, Clock clock) {
        CheckedAddressResolver resolver = new CheckedAddressResolver(lookup, new AddressPolicy(settings.allowed()),
                WebhookHttpClient.virtualThreads("webhook-resolve"));
        return new WebhookChannel(WebhookHttpClient.start(settings, resolver, tls), new WebhookSigner(settings.secrets(), clock),
                settings.timeout(), WebhookSettings.MAX_RESPONSE_BYTES);
    }
}
