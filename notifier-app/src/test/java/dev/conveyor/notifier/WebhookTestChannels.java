package dev.conveyor.notifier;

import dev.conveyor.net.AllowedNetworks;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Webhook channels and results for the channel's tests. */
final class WebhookTestChannels {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private WebhookTestChannels() {
    }

    static WebhookSettings settings(Duration timeout, List<String> allowed) {
        return settings(timeout, timeout, allowed);
    }

    static WebhookSettings settings(Duration timeout, Duration connectTimeout, List<String> allowed) {
        return new WebhookSettings(timeout, connectTimeout, AllowedNetworks.parse(WebhookSettings.ALLOWED_NETWORKS, allowed),
                WebhookSecrets.parse(WebhookSettings.SECRETS, SECRET));
    }

    /** A channel that resolves names through the system resolver, allowing {@code allowed}. */
    static WebhookChannel channel(Duration timeout, String... allowed) {
        return WebhookChannelFactory.create(settings(timeout, List.of(allowed)), InetAddress::getAllByName, new SslContextFactory.Client(),
                Clock.systemUTC());
    }

    /** A channel whose name lookups come from {@code names} (name → addresses) instead of DNS. */
    static WebhookChannel channel(Duration timeout, Map<String, List<String>> names, String... allowed) {
        CheckedAddressResolver.Lookup lookup = host -> {
            List<String> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] found = new InetAddress[addresses.size()];
            for (int i = 0; i < found.length; i++) {
                found[i] = InetAddress.getByName(addresses.get(i));
            }
            return found;
        };
        return WebhookChannelFactory.create(settings(timeout, List.of(allowed)), lookup, new SslContextFactory.Client(), Clock.systemUTC());
    }

    static TaskResult result(String callbackUrl) {
        Instant now = Instant.now();
        return TaskResult.newBuilder().setTaskId("t-1").setType("echo").setKey("t-1").setStatus(TaskStatus.SUCCEEDED).setAttempts(1)
                .setOutput("{}").setError(null).setReason(null).setSubmittedAt(now).setStartedAt(now).setCompletedAt(now)
                .setCallbackUrl(callbackUrl).setHeaders(Map.of()).build();
    }
}
