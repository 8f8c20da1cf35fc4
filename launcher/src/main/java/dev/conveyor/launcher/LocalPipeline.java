package dev.conveyor.launcher;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.conveyor.console.ConsoleConfig;
import dev.conveyor.notifier.WebhookSettings;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.webhooks.WebhookSecret;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run-local.sh}: a real Kafka broker and Apicurio Registry, an SMTP server, the three apps,
 * and a demo workload with live progress and a summary; then keeps running until Ctrl-C. The gateway
 * authenticates with an API key made at start and printed once.
 * Flags: {@code --tasks N} (default 2000), {@code --exit-after-summary} (for scripts).
 */
public final class LocalPipeline {

    static final int DEFAULT_TASKS = 2_000;
    static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
    static final String DEMO_RETRY_TIERS = "1s,2s,5s";
    /** The id of the API key each local run makes for itself: every scope, every task type. */
    static final String LOCAL_KEY_ID = "local";

    private LocalPipeline() {
    }

    record Options(int tasks, boolean exitAfterSummary) {

        static Options parse(String[] args) {
            int tasks = DEFAULT_TASKS;
            boolean exitAfterSummary = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--tasks" -> {
                        if (i + 1 >= args.length || !args[i + 1].matches("\\d{1,7}")) {
                            throw new IllegalArgumentException("--tasks needs a number of tasks");
                        }
                        tasks = Integer.parseInt(args[++i]);
                    }
                    case "--exit-after-summary" -> exitAfterSummary = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(tasks, exitAfterSummary);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: ./run-local.sh [--tasks N] [--exit-after-summary]");
            System.exit(2);
            return;
        }
        int tasks = options.tasks();
        PrintStream out = System.out;
        out.println("Conveyor local run: starting Kafka 4.3.1 (KRaft) and Apicurio Registry 3.0.9 ...");
        LocalStack stack = LocalStack.start();
        GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        DemoProgress progress = DemoProgress.start();
        // a secret of this run's own: the notifier refuses to send unsigned webhooks unless told to
        WebhookSecret secret = WebhookSecret.generate(new SecureRandom());
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "SMTP_HOST", "127.0.0.1",
                "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                // short tiers so the demo's retries finish while you watch
                "RETRY_TIERS", DEMO_RETRY_TIERS));
        env.putAll(LocalWebhooks.notifierEnv(secret, List.of(progress.allowlistEntry())));
        out.printf("webhooks are signed with %s=%s (generated for this run) and may reach only %s=%s%n", WebhookSettings.SECRETS,
                secret.encoded(), WebhookSettings.ALLOWED_NETWORKS, env.get(WebhookSettings.ALLOWED_NETWORKS));
        // a key of this run's own: the gateway authenticates as it does anywhere, and the key ends with the run
        NewApiKey key = NewApiKey.generate(LOCAL_KEY_ID, EnumSet.allOf(Scope.class), "*", 0);
        env.put(AuthSettings.API_KEYS, key.line());
        // the console signs in to the gateway with the same key, and audits into a file of this run's own
        env.put(ConsoleConfig.GATEWAY_API_KEY, key.key());
        env.put(ConsoleConfig.AUDIT_LOG_FILE, java.nio.file.Files.createTempFile("conveyor-console-audit", ".log").toString());
        out.println("starting producer-app, processor-app, notifier-app and console-app ...");
        Pipeline pipeline = Pipeline.start(env, new int[] {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next()});
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nstopping Conveyor ...");
            progress.close();
            pipeline.close();
            smtp.stop();
            stack.close();
            stopped.countDown();
        }, "conveyor-local-shutdown"));

        ProgressView view = new ProgressView(out, System.console() != null);
        view.apiKey(key, pipeline.producerUrl());
        out.printf("submitting %d demo tasks over HTTP (mix: %s)%n", tasks, DemoWorkload.MIX);
        DemoWorkload workload = new DemoWorkload(pipeline.producerUrl(), key.authorization(), progress.callbackUrl(), progress);
        Thread submitter = Thread.ofVirtual().start(() -> {
            try {
                workload.submit(tasks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Instant deadline = Instant.now().plus(DEMO_TIMEOUT);
        DemoProgress.Snapshot snapshot = progress.snapshot();
        while (Instant.now().isBefore(deadline)) {
            snapshot = progress.snapshot();
            view.line(snapshot, tasks, smtp.getReceivedMessages().length);
            if (!submitter.isAlive() && snapshot.done() >= snapshot.submitted()) {
                break;
            }
            // redraw interval of the live progress line
            Thread.sleep(ProgressView.REFRESH.toMillis());
        }
        view.summary(progress.snapshot(), tasks, smtp.getReceivedMessages().length);
        view.urls(pipeline, stack, smtp.getSmtp().getPort(), key);
        if (options.exitAfterSummary()) {
            System.exit(snapshot.done() == snapshot.submitted() && snapshot.submitted() == tasks ? 0 : 1);
        }
        out.println("\nConveyor keeps running: submit your own tasks to the producer app. Press Ctrl-C to stop.");
        stopped.await();
    }
}
