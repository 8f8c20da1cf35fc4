package dev.conveyor.launcher;

import dev.conveyor.auth.NewApiKey;
import dev.conveyor.stack.LocalStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Renders the demo's live progress line (redrawn in place on a terminal) and its summary. */
final class ProgressView {

    static final Duration REFRESH = Duration.ofMillis(500);
    /** Without a terminal, print a fresh line this often instead of redrawing. */
    private static final int LINES_EVERY = 4;

    private final PrintStream out;
    private final boolean terminal;
    private int ticks;

    ProgressView(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void line(DemoProgress.Snapshot s, int total, int mails) {
        String line = String.format(Locale.ROOT, "submitted %5d/%d | done %5d | succeeded %5d | failed %4d | mails %4d | %6.0f tasks/s",
                s.submitted(), total, s.done(), s.succeeded(), s.failed(), mails, s.throughput());
        if (terminal) {
            out.print("\r" + line);
            out.flush();
        } else if (ticks++ % LINES_EVERY == 0) {
            out.println(line);
        }
    }

    void summary(DemoProgress.Snapshot s, int total, int mails) {
        out.println();
        out.println();
        out.println("── Conveyor demo summary ─────────────────────────────────────────");
        out.printf(Locale.ROOT, "submitted   %d of %d (%d refused%s)%n", s.submitted(), total, s.rejected(),
                s.lastRejection() == null ? "" : ", last: " + s.lastRejection());
        out.printf(Locale.ROOT, "succeeded   %d%n", s.succeeded());
        out.printf(Locale.ROOT, "failed      %d %s%n", s.failed(), s.failedByReason());
        out.printf(Locale.ROOT, "outcomes    %d of %d delivered by webhook, %d duplicate deliveries%n", s.done(), s.submitted(), s.duplicates());
        out.printf(Locale.ROOT, "mails       %d received by the local SMTP server%n", mails);
        out.printf(Locale.ROOT, "throughput  %.0f tasks/s end to end (first submit → last outcome delivered)%n", s.throughput());
        out.printf(Locale.ROOT, "latency     p50 %.1f ms   p99 %.1f ms   max %.1f ms (submit → outcome delivered)%n",
                s.latencyMicros().getValueAtPercentile(50) / 1000.0, s.latencyMicros().getValueAtPercentile(99) / 1000.0,
                s.latencyMicros().getMaxValue() / 1000.0);
    }

    void urls(Pipeline pipeline, LocalStack stack, int smtpPort, NewApiKey key) {
        out.println();
        out.printf("producer-app   %s   POST /tasks, GET /tasks/{id}, GET /stats, GET /health, GET /metrics%n", pipeline.producerUrl());
        out.printf("processor-app  %s   GET /health, GET /metrics%n", pipeline.processorUrl());
        out.printf("notifier-app   %s   GET /health, GET /metrics%n", pipeline.notifierUrl());
        pipeline.consoleUrl().ifPresent(url -> out.printf("console-app    %s/   the web console: sign in with the API key below%n", url));
        out.printf("Kafka          %s%n", stack.bootstrapServers());
        out.printf("registry       %s   (Confluent-compatible API: %s/apis/ccompat/v7)%n", stack.registryUrl(), stack.registryUrl());
        out.printf("SMTP           127.0.0.1:%d%n", smtpPort);
        apiKey(key, pipeline.producerUrl());
    }

    /** The run's API key and how to use it. */
    void apiKey(NewApiKey key, String producerUrl) {
        out.printf("API key        %s   (id '%s', every scope, this run only)%n", key.key(), key.stored().id());
        out.printf("try:           curl -i -H 'Authorization: %s' -H 'Content-Type: application/json' \\%n"
                + "                    -d '{\"type\":\"echo\",\"payload\":{\"hi\":1}}' %s/tasks%n", key.authorization(), producerUrl);
        out.printf("               curl -H 'Authorization: %s' %s/tasks/<id>%n", key.authorization(), producerUrl);
    }
}
