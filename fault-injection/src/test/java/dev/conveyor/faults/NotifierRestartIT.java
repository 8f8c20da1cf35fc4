package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.ConsumerSettings;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.notifier.NotifierAppConfig;
import dev.conveyor.notifier.WebhookSettings;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.JavaApp;
import dev.conveyor.stack.WebhookReceiver;
import dev.conveyor.webhooks.WebhookSecret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof: notifiers killed with SIGKILL while results stream in, restarted at once under their
 * {@code INSTANCE_ID}. Every result reaches the receiver. How many webhooks each kill re-sends (what was
 * delivered since the last commit, plus what was being delivered or waited behind an earlier delivery of
 * its partition) is reported, not asserted: it varied from 3 to 627 per kill over runs. Figures go to
 * {@code target/fault-reports/notifier-restarts.txt}; {@code -Dbaseline.commit.interval=1s} measures the
 * same run with the old commit interval.
 */
class NotifierRestartIT {

    static final int RESULTS = 20_000;
    static final int RATE = 1_000;
    static final int KILLS = 3;
    static final String SECRET = WebhookSecret.generate(new SecureRandom()).encoded();

    @RegisterExtension
    static final Rig rig = new Rig();

    @Test
    void killedNotifiersRestartedUnderTheirNameDeliverEveryResultAndResendLittle() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Map<String, Long> firstDeliveredAt = new ConcurrentHashMap<>();
        try (WebhookReceiver receiver = WebhookReceiver.start(d -> {
            deliveries.computeIfAbsent(d.taskIdHeader(), id -> new AtomicInteger()).incrementAndGet();
            firstDeliveredAt.putIfAbsent(d.taskIdHeader(), System.currentTimeMillis());
        })) {
            int port = URI.create(receiver.url("/")).getPort();
            List<JavaApp> notifiers = new ArrayList<>(List.of(notifier("n0", 0, port), notifier("n1", 0, port)));
            Set<String> ids = ConcurrentHashMap.newKeySet();
            try (Producer<String, TaskResult> producer = rig.clients.producer("notifier-restart-test", Map.of())) {
                AtomicInteger written = new AtomicInteger();
                Thread writer = Thread.ofPlatform().start(() -> writePaced(producer, receiver.url("/" + run), ids, written));
                for (int kill = 0; kill < KILLS; kill++) {
                    int mark = (kill + 1) * RESULTS / (KILLS + 1);
                    await().atMost(Duration.ofMinutes(1)).until(() -> written.get() >= mark);
                    int victim = kill % notifiers.size();
                    notifiers.get(victim).kill();
                    notifiers.set(victim, notifier("n" + victim, kill + 1, port));
                }
                writer.join(Duration.ofMinutes(2));
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> deliveries.keySet().containsAll(ids));
            } finally {
                notifiers.forEach(JavaApp::close);
            }

            long resent = deliveries.values().stream().mapToLong(n -> n.get() - 1L).sum();
            // how far behind the notifiers ran: a kill re-sends more when they work through a backlog
            long[] behind = firstDeliveredAt.entrySet().stream().filter(e -> WRITTEN_AT.containsKey(e.getKey()))
                    .mapToLong(e -> e.getValue() - WRITTEN_AT.get(e.getKey())).sorted().toArray();
            List<String> lines = List.of(String.format("%d results at %d/s, 2 notifiers, %d kills (SIGKILL, restarted at once): "
                    + "%d webhooks re-sent, %.1f per kill; first delivery after the result was written p50 %d ms, p99 %d ms",
                    RESULTS, RATE, KILLS, resent, resent / (double) KILLS, behind[behind.length / 2], behind[behind.length * 99 / 100]));
            Path dir = Path.of("target", "fault-reports");
            Files.createDirectories(dir);
            Files.write(dir.resolve("notifier-restarts.txt"), lines);
            lines.forEach(System.out::println);
            assertThat(deliveries.keySet()).as("every result reaches the receiver").containsAll(ids);
        }
    }

    /** A notifier whose webhooks may reach the test's receiver on 127.0.0.1:{@code receiverPort} and nothing else internal. */
    private static JavaApp notifier(String instance, int life, int receiverPort) {
        Map<String, String> env = new HashMap<>();
        env.put(ClusterConfig.BOOTSTRAP_SERVERS, rig.stack.bootstrapServers());
        env.put(ClusterConfig.SCHEMA_REGISTRY_URL, rig.stack.registryUrl());
        env.put(TopicConfig.RESULTS_PARTITIONS, Integer.toString(Rig.PARTITIONS));
        env.put(NotifierAppConfig.GROUP_ID, "fault-notifiers");
        env.put(NotifierAppConfig.CHANNELS, "webhook");
        env.put(WebhookSettings.ALLOWED_NETWORKS, "127.0.0.1:" + receiverPort);
        env.put(WebhookSettings.SECRETS, SECRET);
        env.put(RetrySettings.RETRY_TIERS, Rig.TIERS);
        env.put(ConsumerSettings.INSTANCE_ID, instance);
        env.put(ConsumerSettings.COMMIT_INTERVAL, System.getProperty("baseline.commit.interval", "100ms"));
        return JavaApp.start("notifier-" + instance + "-life-" + life, NotifierApp.class, env, rig.logs);
    }

    /** When each result was handed to the producer, by task id. */
    private static final Map<String, Long> WRITTEN_AT = new ConcurrentHashMap<>();

    private static void writePaced(Producer<String, TaskResult> producer, String callbackUrl, Set<String> ids, AtomicInteger written) {
        long start = System.nanoTime();
        for (int i = 0; i < RESULTS; i++) {
            long wait = start + 1_000_000_000L * i / RATE - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = UUID.randomUUID().toString();
            Instant now = Instant.now();
            TaskResult result = TaskResult.newBuilder().setTaskId(id).setType("echo").setKey("k-" + (i % 500)).setStatus(TaskStatus.SUCCEEDED)
                    .setAttempts(1).setOutput("{}").setError(null).setReason(null).setSubmittedAt(now).setStartedAt(now).setCompletedAt(now)
                    .setCallbackUrl(callbackUrl).setHeaders(Map.of()).build();
            ids.add(id);
            WRITTEN_AT.put(id, System.currentTimeMillis());
            producer.send(new ProducerRecord<>(Topics.RESULTS.name(), result.getKey(), result));
            written.incrementAndGet();
        }
        producer.flush();
    }
}
