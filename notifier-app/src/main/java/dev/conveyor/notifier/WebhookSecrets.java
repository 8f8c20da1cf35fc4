package dev.conveyor.notifier;

import dev.conveyor.ConfigException;
import dev.conveyor.net.AllowedNetworks;
import dev.conveyor.webhooks.WebhookSecret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which secrets sign a webhook to which host, from {@code WEBHOOK_SECRETS}: groups separated by
 * {@code ;}, each a comma-separated list of active secrets, the first group for every host, the others
 * {@code host=...} for one host only, e.g. {@code whsec_new,whsec_old;hooks.example.com=whsec_theirs}.
 * Every active secret signs (several during a rotation), so a receiver that knows any of them verifies.
 */
public final class WebhookSecrets {

    /** {@code host=whsec_...}: a host name or address, then secrets (base64 may end in '=', but never starts a group with one). */
    private static final Pattern HOST_GROUP = Pattern.compile("([^=,\\s]+)=\\s*(" + WebhookSecret.PREFIX + ".*)");

    private static final WebhookSecrets UNSIGNED = new WebhookSecrets(List.of(), Map.of());

    private final List<WebhookSecret> defaults;
    private final Map<String, List<WebhookSecret>> byHost;

    private WebhookSecrets(List<WebhookSecret> defaults, Map<String, List<WebhookSecret>> byHost) {
        this.defaults = List.copyOf(defaults);
        this.byHost = Map.copyOf(byHost);
    }

    /** No signing: {@code WEBHOOK_SIGNING=none}. */
    public static WebhookSecrets unsigned() {
        return UNSIGNED;
    }

    /**
     * Reads {@code text}; errors name {@code key} and the group, never a secret.
     */
    public static WebhookSecrets parse(String key, String text) {
        List<WebhookSecret> defaults = null;
        Map<String, List<WebhookSecret>> byHost = new HashMap<>();
        int number = 0;
        for (String group : text.split(";")) {
            number++;
            String trimmed = group.strip();
            Matcher hostGroup = HOST_GROUP.matcher(trimmed);
            if (hostGroup.matches() && !hostGroup.group(1).startsWith(WebhookSecret.PREFIX)) {
                String host = normalize(hostGroup.group(1));
                if (byHost.put(host, secrets(key, "the group of " + host, hostGroup.group(2))) != null) {
                    throw new ConfigException(key, "two groups of secrets for " + host);
                }
            } else if (number == 1) {
                defaults = secrets(key, "the first group", trimmed);
            } else {
                throw new ConfigException(key, "group " + number + " is not host=whsec_...; the secrets for every host come first,"
                        + " e.g. whsec_a,whsec_b;hooks.example.com=whsec_c");
            }
        }
        if (defaults == null) {
            throw new ConfigException(key, "name the secrets for every host first, then per host, e.g. whsec_a;hooks.example.com=whsec_b");
        }
        return new WebhookSecrets(defaults, byHost);
    }

    /** The secrets signing a webhook to {@code host}: its own group if it has one, else the first; none when unsigned. */
    public List<WebhookSecret> forHost(String host) {
        return byHost.getOrDefault(normalize(host), defaults);
    }

    public boolean signing() {
        return !defaults.isEmpty();
    }

    private static List<WebhookSecret> secrets(String key, String where, String group) {
        List<WebhookSecret> secrets = new ArrayList<>();
        int number = 0;
        for (String text : group.split(",")) {
            number++;
            String secret = text.strip();
            if (!secret.startsWith(WebhookSecret.PREFIX)) {
                throw new ConfigException(key, "secret " + number + " of " + where + " does not start with " + WebhookSecret.PREFIX);
            }
            try {
                secrets.add(WebhookSecret.parse(secret));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, "secret " + number + " of " + where + ": " + e.getMessage());
            }
        }
        return secrets;
    }

    private static String normalize(String host) {
        return AllowedNetworks.normalizeHost(host);
    }
}
