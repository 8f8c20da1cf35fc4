package dev.conveyor.auth;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How the gateway authenticates requests.
 *
 * @param enabled     {@code AUTH}: {@code api-key} (the default) asks every request but {@code GET /health}
 *                    for an API key; {@code none} serves anyone who reaches the port
 * @param keysFile    {@code API_KEYS_FILE}: a file of {@link KeyLines key lines}, re-read when it changes; null for none
 * @param inlineKeys  {@code API_KEYS}: key lines given in the environment (fixed until a restart)
 * @param metricsAuth {@code METRICS_AUTH}: whether {@code GET /metrics} needs a key with the admin scope
 */
public record AuthSettings(boolean enabled, Path keysFile, List<ApiKey> inlineKeys, boolean metricsAuth) {

    public static final String AUTH = "AUTH";
    public static final String API_KEYS_FILE = "API_KEYS_FILE";
    public static final String API_KEYS = "API_KEYS";
    public static final String METRICS_AUTH = "METRICS_AUTH";
    public static final String API_KEY_MODE = "api-key";
    public static final String NO_AUTH = "none";

    public AuthSettings {
        inlineKeys = inlineKeys == null ? List.of() : List.copyOf(inlineKeys);
        if (enabled && keysFile == null && inlineKeys.isEmpty()) {
            throw new ConfigException(API_KEYS_FILE, "the gateway authenticates requests (" + AUTH + "=" + API_KEY_MODE
                    + ", the default) but no API key is configured: set " + API_KEYS_FILE + " to a keys file or " + API_KEYS
                    + " to key lines (make a key with dev.conveyor.auth.ApiKeyTool), or set " + AUTH + "=" + NO_AUTH
                    + " to serve everyone who reaches the port");
        }
        if (!enabled && metricsAuth) {
            throw new ConfigException(METRICS_AUTH, "needs API keys, but " + AUTH + "=" + NO_AUTH);
        }
    }

    /** No authentication: what {@code AUTH=none} configures. */
    public static AuthSettings none() {
        return new AuthSettings(false, null, List.of(), false);
    }

    public static AuthSettings load(Env env) {
        String mode = env.string(AUTH, API_KEY_MODE).toLowerCase(Locale.ROOT);
        if (!mode.equals(API_KEY_MODE) && !mode.equals(NO_AUTH)) {
            throw new ConfigException(AUTH, "'" + mode + "' is not " + API_KEY_MODE + " or " + NO_AUTH);
        }
        List<ApiKey> inline;
        try {
            inline = KeyLines.parse(env.string(API_KEYS, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(API_KEYS, e.getMessage());
        }
        return new AuthSettings(mode.equals(API_KEY_MODE), env.find(API_KEYS_FILE).map(Path::of).orElse(null), inline,
                env.bool(METRICS_AUTH, false));
    }
}
