package dev.conveyor.launcher;

import dev.conveyor.notifier.WebhookSettings;
import dev.conveyor.stack.WebhookReceiver;
import dev.conveyor.webhooks.WebhookSecret;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How the local run and its tests point webhooks at a receiver on this machine. The gateway refuses
 * loopback addresses in callback URLs, so the receiver is named {@code localhost}; the notifier allows
 * that name on the receiver's port and nothing else internal, and signs with the given secret.
 */
public final class LocalWebhooks {

    static final String HOST = "localhost";

    private LocalWebhooks() {
    }

    /** {@code http://localhost:<port><path>} for a receiver listening on loopback. */
    public static String callbackUrl(WebhookReceiver receiver, String path) {
        return "http://" + HOST + ":" + port(receiver) + path;
    }

    /** The {@code WEBHOOK_ALLOWED_NETWORKS} entry that lets webhooks reach this receiver and nothing else: {@code localhost:<port>}. */
    public static String allowlistEntry(WebhookReceiver receiver) {
        return HOST + ":" + port(receiver);
    }

    /** The notifier's {@code WEBHOOK_ALLOWED_NETWORKS} (the given entries) and {@code WEBHOOK_SECRETS} ({@code secret}). */
    public static Map<String, String> notifierEnv(WebhookSecret secret, List<String> allowlistEntries) {
        return Map.of(WebhookSettings.ALLOWED_NETWORKS, String.join(",", allowlistEntries), WebhookSettings.SECRETS, secret.encoded());
    }

    private static int port(WebhookReceiver receiver) {
        return URI.create(receiver.url("/")).getPort();
    }
}
