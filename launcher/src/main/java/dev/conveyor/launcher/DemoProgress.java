package dev.conveyor.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.stack.WebhookReceiver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Tracks the demo from both ends: what was submitted (and when), and what the notifier's webhook
 * delivered back, so end-to-end latency is measured submit → outcome delivered, in one clock.
 */
public final class DemoProgress implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per task: when it was sent and when its outcome arrived; either may come first (fast pipelines beat the 202). */
    private final Map<String, long[]> timings = new ConcurrentHashMap<>();
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final Map<String, AtomicInteger> failedByReason = new ConcurrentHashMap<>();
    private final AtomicLong firstSubmitNanos = new AtomicLong();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Histogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    private volatile String lastRejection;
    private final WebhookReceiver receiver;

    private DemoProgress(WebhookReceiver receiver) {
        this.receiver = receiver;
    }

    /** Starts the webhook that receives every demo task's outcome. */
    public static DemoProgress start() {
        DemoProgress[] self = new DemoProgress[1];
        WebhookReceiver receiver = WebhookReceiver.start(delivery -> self[0].delivered(delivery.body()));
        self[0] = new DemoProgress(receiver);
        return self[0];
    }

    public String callbackUrl() {
        return LocalWebhooks.callbackUrl(receiver, "/demo-results");
    }

    /** The notifier's {@code WEBHOOK_ALLOWED_NETWORKS} entry for this webhook. */
    public String allowlistEntry() {
        return LocalWebhooks.allowlistEntry(receiver);
    }

    void submitted(String id, String type, long sentAtNanos) {
        firstSubmitNanos.compareAndSet(0, sentAtNanos);
        submitted.incrementAndGet();
        record(id, 0, sentAtNanos);
    }

    void rejected(String why) {
        rejected.incrementAndGet();
        lastRejection = why;
    }

    private void delivered(String body) {
        long now = System.nanoTime();
        JsonNode result;
        try {
            result = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return;
        }
        String id = result.path("taskId").asText();
        if (!delivered.add(id)) {
            duplicates.incrementAndGet();
            return;
        }
        record(id, 1, now);
        if ("SUCCEEDED".equals(result.path("status").asText())) {
            succeeded.incrementAndGet();
        } else {
            failed.incrementAndGet();
            failedByReason.computeIfAbsent(result.path("reason").asText("UNKNOWN"), r -> new AtomicInteger()).incrementAndGet();
        }
        lastDeliveryNanos.set(now);
    }

    private void record(String id, int which, long nanos) {
        long[] timing = timings.compute(id, (k, t) -> {
            long[] both = t == null ? new long[2] : t;
            both[which] = nanos;
            return both;
        });
        if (timing[0] != 0 && timing[1] != 0 && timings.remove(id, timing)) {
            latencyMicros.recordValue(Math.max(0, (timing[1] - timing[0]) / 1_000));
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(submitted.get(), rejected.get(), succeeded.get(), failed.get(), duplicates.get(),
                Map.copyOf(failedByReason.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))),
                latencyMicros.copy(), firstSubmitNanos.get(), lastDeliveryNanos.get(), lastRejection);
    }

    /** A consistent-enough view for the progress line and the summary. */
    public record Snapshot(int submitted, int rejected, int succeeded, int failed, int duplicates, Map<String, Integer> failedByReason,
                           Histogram latencyMicros, long firstSubmitNanos, long lastDeliveryNanos, String lastRejection) {

        public int done() {
            return succeeded + failed;
        }

        /** Tasks per second from the first submission to the last delivered outcome. */
        public double throughput() {
            long nanos = lastDeliveryNanos - firstSubmitNanos;
            return nanos <= 0 ? 0 : done() / (nanos / 1e9);
        }
    }

    @Override
    public void close() {
        receiver.close();
    }
}
