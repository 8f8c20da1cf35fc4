package dev.conveyor.launcher;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.conveyor.stack.FreePorts;
import dev.conveyor.stack.LocalStack;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run-local.sh}: a real Kafka broker and Apicurio Registry, an SMTP server, the three apps,
 * and a demo workload with live progress and a summary; then keeps running until Ctrl-C.
 * Flags: {@code --tasks N} (default 2000), {@code --exit-after-summary} (for scripts).
 */
public final class LocalPipeline {

    static final int DEFAULT_TASKS = 2_000;
    static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
    static final String DEMO_RETRY_TIERS = "1s,2s,5s";

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
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "SMTP_HOST", "127.0.0.1",
                "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                // short tiers so the demo's retries finish while you watch
                "RETRY_TIERS", DEMO_RETRY_TIERS);
        out.println("starting producer-app, processor-app and notifier-app ...");
        Pipeline pipeline = Pipeline.start(env, new int[] {FreePorts.next(), FreePorts.next(), FreePorts.next()});
        DemoProgress progress = DemoProgress.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nstopping Conveyor ...");
            progress.close();
            pipeline.close();
            smtp.stop();
            stack.close();
            stopped.countDown();
        }, "conveyor-local-shutdown"));

        out.printf("submitting %d demo tasks over HTTP (mix: %s)%n", tasks, DemoWorkload.MIX);
        DemoWorkload workload = new DemoWorkload(pipeline.producerUrl(), progress.callbackUrl(), progress);
        ProgressView view = new ProgressView(out, System.console() != null);
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
        view.urls(pipeline, stack, smtp.getSmtp().getPort());
        if (options.exitAfterSummary()) {
            System.exit(snapshot.done() == snapshot.submitted() && snapshot.submitted() == tasks ? 0 : 1);
        }
        out.println("\nConveyor keeps running: submit your own tasks to the producer app. Press Ctrl-C to stop.");
        stopped.await();
    }
}
