package dev.conveyor.notifier;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.net.AllowedNetworks;
import java.time.Duration;
import java.util.List;

/**
 * The {@code webhook} channel's settings.
 *
 * @param timeout        {@code WEBHOOK_TIMEOUT}: the longest one delivery attempt takes, from sending (or queueing
 *                       for a connection) to the end of the answer; a slow or endless receiver is cut off there
 * @param connectTimeout {@code WEBHOOK_CONNECT_TIMEOUT}: the longest a TCP connection takes to open (at most {@code timeout})
 * @param allowed        {@code WEBHOOK_ALLOWED_NETWORKS}: internal receivers webhooks may reach although their addresses are blocked
 * @param secrets        {@code WEBHOOK_SECRETS} (with {@code WEBHOOK_SIGNING}): who signs with which secrets; none when unsigned
 */
public record WebhookSettings(Duration timeout, Duration connectTimeout, AllowedNetworks allowed, WebhookSecrets secrets) {

    public static final String TIMEOUT = "WEBHOOK_TIMEOUT";
    public static final String CONNECT_TIMEOUT = "WEBHOOK_CONNECT_TIMEOUT";
    public static final String ALLOWED_NETWORKS = "WEBHOOK_ALLOWED_NETWORKS";
    public static final String SECRETS = "WEBHOOK_SECRETS";
    public static final String SIGNING = "WEBHOOK_SIGNING";
    /** {@code WEBHOOK_SIGNING} values: Standard Webhooks {@code v1} signatures (needs secrets), or none. */
    public static final String SIGNING_V1 = "v1";
    public static final String SIGNING_NONE = "none";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Of a receiver's answer only the status matters: at most this much of its body is read, then the connection is dropped. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    public WebhookSettings {
        if (timeout == null || timeout.toMillis() < 1) {
            throw new ConfigException(TIMEOUT, "must be positive");
        }
        if (connectTimeout == null || connectTimeout.toMillis() < 1) {
            throw new ConfigException(CONNECT_TIMEOUT, "must be positive");
        }
        if (connectTimeout.compareTo(timeout) > 0) {
            throw new ConfigException(CONNECT_TIMEOUT, connectTimeout + " is longer than " + TIMEOUT + " (" + timeout
                    + "), which bounds the whole attempt");
        }
        if (allowed == null) {
            throw new ConfigException(ALLOWED_NETWORKS, "must be set (empty allows none)");
        }
        if (secrets == null) {
            throw new ConfigException(SECRETS, "must be set (unsigned() for " + SIGNING + "=" + SIGNING_NONE + ")");
        }
    }

    /**
     * Reads the settings; signing is required unless {@code WEBHOOK_SIGNING=none} says otherwise, so a
     * forgotten secret stops the notifier at start-up instead of sending webhooks no receiver can trust.
     */
    public static WebhookSettings load(Env env) {
        return new WebhookSettings(env.duration(TIMEOUT, DEFAULT_TIMEOUT), env.duration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                AllowedNetworks.parse(ALLOWED_NETWORKS, env.list(ALLOWED_NETWORKS, List.of())), secrets(env));
    }

    private static WebhookSecrets secrets(Env env) {
        String signing = env.string(SIGNING, SIGNING_V1);
        java.util.Optional<String> secrets = env.find(SECRETS);
        return switch (signing) {
            case SIGNING_V1 -> WebhookSecrets.parse(SECRETS, secrets.orElseThrow(() -> new ConfigException(SECRETS,
                    "set at least one signing secret, whsec_ followed by the base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand"
                            + " -base64 32)), or " + SIGNING + "=" + SIGNING_NONE + " to send unsigned webhooks")));
            case SIGNING_NONE -> {
                if (secrets.isPresent()) {
                    throw new ConfigException(SIGNING, "is " + SIGNING_NONE + " but " + SECRETS + " is set: unset one of them");
                }
                yield WebhookSecrets.unsigned();
            }
            default -> throw new ConfigException(SIGNING, "'" + signing + "' is neither " + SIGNING_V1 + " nor " + SIGNING_NONE);
        };
    }
}
