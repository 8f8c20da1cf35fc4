package dev.conveyor.http;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether an app can do its job: Kafka answers, the registry answers, plus any app-specific checks
 * (e.g. its consumer joined its group). A passing check is believed for a second, so a busy prober
 * cannot load Kafka; a failing one runs again at the next probe.
 */
public final class HealthCheck {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CACHE_FOR = Duration.ofSeconds(1);

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private final Clock clock;
    private final Map<String, Instant> passedAt = new java.util.HashMap<>();

    public HealthCheck(KafkaClients clients, Clock clock) {
        this(clock);
        HttpClient http = clients.cluster().registrySecurity().httpClient(PROBE_TIMEOUT);
        checks.put("kafka", () -> kafkaAnswers(clients));
        checks.put("registry", () -> registryAnswers(http, clients.cluster()));
    }

    /** No checks yet: only those added {@link #with}. */
    HealthCheck(Clock clock) {
        this.clock = clock;
    }

    public synchronized HealthCheck with(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    /**
     * Each check's name and whether it passed. A passing check is believed for {@link #CACHE_FOR}, so a busy
     * prober cannot load Kafka; a failing one runs again at the next probe, so an app that just became
     * ready (its consumer started) says so at once instead of repeating a stale "no".
     */
    public synchronized Map<String, Boolean> check() {
        Instant now = clock.instant();
        Map<String, Boolean> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            Instant passed = passedAt.get(name);
            boolean believed = passed != null && now.isBefore(passed.plus(CACHE_FOR));
            boolean ok = believed || safely(check);
            if (!believed) {
                if (ok) {
                    passedAt.put(name, now);
                } else {
                    passedAt.remove(name);
                }
            }
            results.put(name, ok);
        });
        return results;
    }

    public boolean healthy() {
        return check().values().stream().allMatch(Boolean::booleanValue);
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean kafkaAnswers(KafkaClients clients) {
        try {
            return !clients.admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                    .nodes().get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean registryAnswers(HttpClient http, ClusterConfig cluster) {
        try {
            HttpResponse<Void> response = http.send(cluster.registrySecurity()
                            .authorize(HttpRequest.newBuilder(URI.create(cluster.registryApiUrl() + "/system/info")).timeout(PROBE_TIMEOUT)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
