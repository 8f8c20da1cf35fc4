package dev.conveyor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command line, as the container proofs drive it: each call runs to completion and
 * returns its exit code and output. Which OCI runtime and limits podman uses is its own configuration's
 * business ({@code CONTAINERS_CONF}; .ci/run writes one for the CI machine).
 */
final class Podman {

    /** What a command printed (standard output and error together) and how it exited. */
    record Result(int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The output, or a failure naming the command and what it printed. */
        String orFail(List<String> command) {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return output.strip();
        }
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path workDir;

    Podman(Path workDir) {
        this.workDir = workDir;
    }

    /** Why podman cannot run containers here, or null when it can. */
    static String unavailable(Path workDir) {
        try {
            Result info = new Podman(workDir).call(Duration.ofSeconds(60), Map.of(), "info", "--format", "{{.Host.OCIRuntime.Name}}");
            return info.ok() ? null : "podman info failed:\n" + info.output();
        } catch (UncheckedIOException notInstalled) {
            return "podman is not on the PATH (" + notInstalled.getCause().getMessage() + ")";
        }
    }

    /** Runs {@code podman args...}, failing with its output unless it exits 0; returns the output. */
    String run(String... args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    String run(Duration timeout, String... args) {
        return call(timeout, Map.of(), args).orFail(command(args));
    }

    Result call(String... args) {
        return call(DEFAULT_TIMEOUT, Map.of(), args);
    }

    /** Runs any command (not only podman) in the work directory, with extra environment variables. */
    Result exec(Duration timeout, Map<String, String> environment, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // read while it runs: a full pipe would stall the command
            java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), output.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private Result call(Duration timeout, Map<String, String> environment, String... args) {
        return exec(timeout, environment, command(args));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return command;
    }
}
