package dev.conveyor.console;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.http.HttpSettings;
import dev.conveyor.kafka.ClusterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * @param gateway       {@code CONSOLE_GATEWAY_URL}: a producer-app with the status view, asked for task statuses
 * @param gatewayApiKey {@code CONSOLE_GATEWAY_API_KEY}: the key the console presents to the gateway (scopes read and
 *                      admin, so it may read every task); empty when the gateway runs with {@code AUTH=none}
 * @param auditLog      {@code AUDIT_LOG_FILE}: where every replay and purge is recorded, one JSON line each
 * @param activityWindow {@code CONSOLE_ACTIVITY_WINDOW}: how far back the overview's rates and latencies reach
 * @param auth          {@code AUTH}, {@code API_KEYS_FILE}, {@code API_KEYS}: the gateway's keys; signing in needs the admin scope
 */
public record ConsoleConfig(ClusterConfig cluster, HttpSettings http, AuthSettings auth, URI gateway, String gatewayApiKey,
                            Path auditLog, Duration activityWindow) {

    public static final String GATEWAY_URL = "CONSOLE_GATEWAY_URL";
    public static final String GATEWAY_API_KEY = "CONSOLE_GATEWAY_API_KEY";
    public static final String AUDIT_LOG_FILE = "AUDIT_LOG_FILE";
    public static final String ACTIVITY_WINDOW = "CONSOLE_ACTIVITY_WINDOW";
    public static final int DEFAULT_HTTP_PORT = 8090;
    public static final String DEFAULT_GATEWAY_URL = "http://127.0.0.1:8081";
    public static final String DEFAULT_AUDIT_LOG_FILE = "conveyor-console-audit.log";
    public static final Duration DEFAULT_ACTIVITY_WINDOW = Duration.ofHours(1);
    /** The overview keeps one bucket per minute; a day of them is the most it holds. */
    static final Duration MAX_ACTIVITY_WINDOW = Duration.ofDays(1);

    public ConsoleConfig {
        if (gateway == null || gateway.getScheme() == null || !gateway.getScheme().matches("https?") || gateway.getHost() == null) {
            throw new ConfigException(GATEWAY_URL, "must be an http(s) URL of a producer-app, was '" + gateway + "'");
        }
        gatewayApiKey = gatewayApiKey == null ? "" : gatewayApiKey;
        if (auditLog == null) {
            throw new ConfigException(AUDIT_LOG_FILE, "must name a file");
        }
        if (activityWindow == null || activityWindow.toMinutes() < 1 || activityWindow.compareTo(MAX_ACTIVITY_WINDOW) > 0) {
            throw new ConfigException(ACTIVITY_WINDOW, "must be between 1m and " + MAX_ACTIVITY_WINDOW.toHours() + "h, was " + activityWindow);
        }
    }

    public static ConsoleConfig load(Env env) {
        URI gateway;
        try {
            gateway = URI.create(env.string(GATEWAY_URL, DEFAULT_GATEWAY_URL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(GATEWAY_URL, e.getMessage());
        }
        return new ConsoleConfig(ClusterConfig.load(env), HttpSettings.load(env, DEFAULT_HTTP_PORT), AuthSettings.load(env), gateway,
                env.string(GATEWAY_API_KEY, ""), Path.of(env.string(AUDIT_LOG_FILE, DEFAULT_AUDIT_LOG_FILE)),
                env.duration(ACTIVITY_WINDOW, DEFAULT_ACTIVITY_WINDOW));
    }
}
