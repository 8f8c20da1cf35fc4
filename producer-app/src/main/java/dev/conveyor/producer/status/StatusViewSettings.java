package dev.conveyor.producer.status;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The status view's configuration.
 *
 * @param enabled          {@code STATUS_VIEW}: serve {@code GET /tasks/{id}}, its events and {@code /stats}
 * @param retention        {@code STATUS_RETENTION}: statuses not updated for this long are forgotten
 * @param maxWaiters       {@code STATUS_MAX_WAITERS}: long-polling requests parked at once; more are answered 503
 * @param stateDir         {@code STATUS_STATE_DIR}: where the stores live on disk; kept across restarts of one instance
 * @param removeStateOnClose whether the state directory is deleted on close: it is when neither it nor
 *                         {@code INSTANCE_ID} was configured, so no later instance would find it
 * @param advertisedHost   {@code STATUS_ADVERTISED_HOST}: the host other instances reach this one's HTTP port at
 * @param applicationId    {@code STATUS_APPLICATION_ID}: the Kafka Streams application id, shared by every gateway
 *                         instance of one pipeline (it names the group and the stores' changelog topics)
 */
public record StatusViewSettings(boolean enabled, Duration retention, int maxWaiters, Path stateDir, boolean removeStateOnClose,
                                 String advertisedHost, String applicationId) {

    public static final String STATUS_VIEW = "STATUS_VIEW";
    public static final String STATUS_RETENTION = "STATUS_RETENTION";
    public static final String STATUS_MAX_WAITERS = "STATUS_MAX_WAITERS";
    public static final String STATUS_STATE_DIR = "STATUS_STATE_DIR";
    public static final String STATUS_ADVERTISED_HOST = "STATUS_ADVERTISED_HOST";
    public static final String STATUS_APPLICATION_ID = "STATUS_APPLICATION_ID";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    static final Duration MAX_RETENTION = Duration.ofDays(365);
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    static final int MAX_WAITERS_LIMIT = 1_000_000;
    public static final String DEFAULT_APPLICATION_ID = "conveyor-status";
    static final String LOOPBACK = "127.0.0.1";

    public StatusViewSettings {
        if (retention == null || retention.toSeconds() < 1 || retention.compareTo(MAX_RETENTION) > 0) {
            throw new ConfigException(STATUS_RETENTION, "must be at least 1s and at most " + MAX_RETENTION.toDays() + " days, was " + retention);
        }
        if (maxWaiters < 1 || maxWaiters > MAX_WAITERS_LIMIT) {
            throw new ConfigException(STATUS_MAX_WAITERS, "must be between 1 and " + MAX_WAITERS_LIMIT + ", was " + maxWaiters);
        }
        if (stateDir == null || stateDir.toString().isBlank()) {
            throw new ConfigException(STATUS_STATE_DIR, "must name a directory");
        }
        if (advertisedHost == null || !advertisedHost.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]")) {
            throw new ConfigException(STATUS_ADVERTISED_HOST, "must be a host name, an IPv4 address or a bracketed IPv6 address, was '"
                    + advertisedHost + "'");
        }
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigException(STATUS_APPLICATION_ID, "must be 1 to 100 letters, digits, '.', '_' or '-', was '" + applicationId + "'");
        }
    }

    /**
     * @param instanceId       this instance's name, which names its default state directory
     * @param instanceIdGiven  whether {@code INSTANCE_ID} was configured (a generated one is never seen again)
     * @param bootstrapServers where Kafka is: a broker on loopback means every instance runs on this machine
     */
    public static StatusViewSettings load(Env env, String instanceId, boolean instanceIdGiven, String bootstrapServers) {
        java.util.Optional<String> stateDir = env.find(STATUS_STATE_DIR);
        return new StatusViewSettings(
                env.bool(STATUS_VIEW, true),
                env.duration(STATUS_RETENTION, DEFAULT_RETENTION),
                env.integer(STATUS_MAX_WAITERS, DEFAULT_MAX_WAITERS),
                stateDir.map(Path::of).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "conveyor-status-" + instanceId)),
                stateDir.isEmpty() && !instanceIdGiven,
                env.find(STATUS_ADVERTISED_HOST).orElseGet(() -> defaultHost(bootstrapServers)),
                env.string(STATUS_APPLICATION_ID, DEFAULT_APPLICATION_ID));
    }

    /** Loopback when Kafka is on loopback (a local run), else the machine's host name. */
    static String defaultHost(String bootstrapServers) {
        boolean local = java.util.Arrays.stream(bootstrapServers.split(",")).map(String::trim)
                .allMatch(server -> server.startsWith("127.") || server.startsWith("localhost:"));
        if (local) {
            return LOOPBACK;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return LOOPBACK;
        }
    }
}
