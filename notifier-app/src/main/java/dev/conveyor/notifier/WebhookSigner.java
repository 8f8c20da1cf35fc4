package dev.conveyor.notifier;

import dev.conveyor.webhooks.WebhookSecret;
import dev.conveyor.webhooks.WebhookSignature;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Stamps each webhook attempt with the Standard Webhooks headers: {@code webhook-id} (the delivery's,
 * the same on every retry), {@code webhook-timestamp} (this attempt's, so receivers can refuse replays)
 * and {@code webhook-signature} over both and the body, by every active secret for the callback's host.
 */
final class WebhookSigner {

    private final WebhookSecrets secrets;
    private final Clock clock;

    WebhookSigner(WebhookSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    Headers sign(String deliveryId, String host, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        List<WebhookSecret> active = secrets.forHost(host);
        return new Headers(deliveryId, timestamp, active.isEmpty() ? null : WebhookSignature.header(active, deliveryId, timestamp, body));
    }

    /** @param signature null when webhooks are unsigned ({@code WEBHOOK_SIGNING=none}) */
    record Headers(String id, long timestamp, String signature) {

        void forEach(BiConsumer<String, String> header) {
            header.accept(WebhookSignature.ID_HEADER, id);
            header.accept(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
            if (signature != null) {
                header.accept(WebhookSignature.SIGNATURE_HEADER, signature);
            }
        }
    }
}
