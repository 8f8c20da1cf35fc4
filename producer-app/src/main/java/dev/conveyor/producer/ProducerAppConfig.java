package dev.conveyor.producer;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.http.HttpSettings;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.producer.status.StatusViewSettings;
import java.time.Duration;

/**
 * @param maxPayloadBytes {@code MAX_PAYLOAD_BYTES}: largest accepted payload (413 above it)
 * @param sendTimeout     {@code SEND_TIMEOUT}: longest a request waits for Kafka before answering 503
 * @param idempotencyRetention {@code IDEMPOTENCY_RETENTION}: how long an idempotency key returns the same task
 * @param instanceId      {@code INSTANCE_ID}: this instance's stable name, unique among running producer apps
 *                        (its transactional id for keyed submissions)
 * @param batchMaxTasks   {@code BATCH_MAX_TASKS}: most tasks one {@code POST /tasks/batch} may carry
 * @param maxPendingSubmissions {@code MAX_PENDING_SUBMISSIONS}: tasks waiting for Kafka's acknowledgement
 *                        before new submissions are answered 503
 * @param statusView      {@code STATUS_*}: the status view behind {@code GET /tasks/{id}} and {@code /stats}
 * @param auth            {@code AUTH}, {@code API_KEYS_FILE}, {@code API_KEYS}, {@code METRICS_AUTH}: who may use the gateway
 */
public record ProducerAppConfig(ClusterConfig cluster, TopicConfig topics, HttpSettings http,
                                int maxPayloadBytes, Duration sendTimeout, dev.conveyor.retry.RetrySettings tiers,
                                Duration idempotencyRetention, String instanceId, int batchMaxTasks, int maxPendingSubmissions,
                                StatusViewSettings statusView, AuthSettings auth) {

    public static final String MAX_PAYLOAD_BYTES = "MAX_PAYLOAD_BYTES";
    public static final String SEND_TIMEOUT = "SEND_TIMEOUT";
    public static final String IDEMPOTENCY_RETENTION = "IDEMPOTENCY_RETENTION";
    public static final String BATCH_MAX_TASKS = "BATCH_MAX_TASKS";
    public static final String MAX_PENDING_SUBMISSIONS = "MAX_PENDING_SUBMISSIONS";
    public static final int DEFAULT_BATCH_MAX_TASKS = 500;
    public static final int DEFAULT_MAX_PENDING_SUBMISSIONS = 20_000;
    /** A batch must fit the request size limit: at most this many tasks, whatever their size. */
    static final int BATCH_MAX_TASKS_LIMIT = 10_000;
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
    /** {@code tasks.idempotency} keeps claims a week; a key cannot be remembered longer than its claim. */
    static final Duration MAX_IDEMPOTENCY_RETENTION = Duration.ofDays(6);
    public static final int DEFAULT_HTTP_PORT = 8081;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
    /** Kafka's own default record limit is 1 MiB; the whole task must fit in it. */
    static final int MAX_PAYLOAD_LIMIT = 900 * 1024;

    public ProducerAppConfig {
        if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_LIMIT) {
            throw new ConfigException(MAX_PAYLOAD_BYTES, "must be between 1 and " + MAX_PAYLOAD_LIMIT + ", was " + maxPayloadBytes);
        }
        if (sendTimeout == null || sendTimeout.toMillis() < 100) {
            throw new ConfigException(SEND_TIMEOUT, "must be at least 100ms");
        }
        if (idempotencyRetention == null || idempotencyRetention.toMillis() < 1
                || idempotencyRetention.compareTo(MAX_IDEMPOTENCY_RETENTION) > 0) {
            throw new ConfigException(IDEMPOTENCY_RETENTION, "must be positive and at most " + MAX_IDEMPOTENCY_RETENTION.toDays() + " days");
        }
        if (batchMaxTasks < 1 || batchMaxTasks > BATCH_MAX_TASKS_LIMIT) {
            throw new ConfigException(BATCH_MAX_TASKS, "must be between 1 and " + BATCH_MAX_TASKS_LIMIT + ", was " + batchMaxTasks);
        }
        if (maxPendingSubmissions < batchMaxTasks) {
            throw new ConfigException(MAX_PENDING_SUBMISSIONS, "must be at least " + BATCH_MAX_TASKS + " (" + batchMaxTasks
                    + "), or no batch could ever be accepted; was " + maxPendingSubmissions);
        }
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigException(dev.conveyor.ConsumerSettings.INSTANCE_ID,
                    "must be 1 to 100 letters, digits, '.', '_' or '-', was '" + instanceId + "'");
        }
        if (statusView == null) {
            throw new ConfigException(StatusViewSettings.STATUS_VIEW, "the status view's settings are missing");
        }
        if (auth == null) {
            throw new ConfigException(AuthSettings.AUTH, "the gateway's authentication settings are missing");
        }
    }

    public static ProducerAppConfig load(Env env) {
        ClusterConfig cluster = ClusterConfig.load(env);
        java.util.Optional<String> givenInstanceId = env.find(dev.conveyor.ConsumerSettings.INSTANCE_ID);
        String instanceId = givenInstanceId.orElseGet(dev.conveyor.ConsumerSettings::randomInstanceId);
        return new ProducerAppConfig(
                cluster,
                TopicConfig.load(env),
                HttpSettings.load(env, DEFAULT_HTTP_PORT),
                env.integer(MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES),
                env.duration(SEND_TIMEOUT, DEFAULT_SEND_TIMEOUT),
                dev.conveyor.retry.RetrySettings.load(env),
                env.duration(IDEMPOTENCY_RETENTION, DEFAULT_IDEMPOTENCY_RETENTION),
                instanceId,
                env.integer(BATCH_MAX_TASKS, DEFAULT_BATCH_MAX_TASKS),
                env.integer(MAX_PENDING_SUBMISSIONS, DEFAULT_MAX_PENDING_SUBMISSIONS),
                StatusViewSettings.load(env, instanceId, givenInstanceId.isPresent(), cluster.bootstrapServers()),
                AuthSettings.load(env));
    }
}
