package dev.conveyor.launcher.prometheus;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} (Debian: {@code apt-get install -y prometheus}; CI installs it). A test
 * that needs it is skipped, saying why, on a machine without it.
 */
final class Promtool {

    /** Where the Prometheus and Grafana files are, from a module's directory (the tests' working directory). */
    static final Path DEPLOY = Path.of("..", "deploy");
    static final Path ALERTS = DEPLOY.resolve("prometheus/rules/conveyor-alerts.yml");
    static final Path ALERT_TESTS = DEPLOY.resolve("prometheus/rules/conveyor-alerts.test.yml");
    static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/conveyor.json");

    record Run(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** Skips the calling test when promtool is not on the PATH. */
    static void assumeInstalled() {
        assumeTrue(find() != null, "promtool is not on the PATH: install it (Debian: apt-get install -y prometheus) to check "
                + "the /metrics output, the alerting rules and the dashboard's queries");
    }

    static Run run(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(find().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
