package dev.conveyor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One app running in a container of its image. It shares the host's network: the local stack's broker
 * listens on and advertises 127.0.0.1, which a container on its own network cannot reach (there it is
 * the container itself, and {@code host.containers.internal} reaches only the host's listeners on every
 * interface), and host networking is what makes {@code HTTP_PORT} the port the test asks.
 */
final class AppContainer implements AutoCloseable {

    private final Podman podman;
    private final String name;
    private final Path logDir;

    private AppContainer(Podman podman, String name, Path logDir) {
        this.podman = podman;
        this.name = name;
        this.logDir = logDir;
    }

    /** Starts {@code image} detached as {@code name}, with {@code env}, optionally under a memory limit ({@code 256m}). */
    static AppContainer start(Podman podman, String name, String image, Map<String, String> env, String memory, Path logDir) {
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host",
                // no systemd here to schedule the image's HEALTHCHECK: the test runs it itself (healthy())
                "--health-interval", "disable"));
        if (memory != null) {
            args.addAll(List.of("--memory", memory));
        }
        env.forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
        args.add(image);
        podman.run(args.toArray(String[]::new));
        return new AppContainer(podman, name, logDir);
    }

    String name() {
        return name;
    }

    /** Runs the image's HEALTHCHECK once, in the container, as the engine would. */
    boolean healthy() {
        return podman.call("healthcheck", "run", name).ok();
    }

    /** {@code podman stop}: SIGTERM to the JVM (PID 1), SIGKILL only after {@code grace}; returns the exit code. */
    int stop(Duration grace) {
        podman.run(grace.plusMinutes(1), "stop", "--time", Long.toString(grace.toSeconds()), name);
        return Integer.parseInt(inspect("{{.State.ExitCode}}"));
    }

    /** The user id the app runs as. */
    String user() {
        return podman.run("exec", name, "id", "-u");
    }

    boolean running() {
        return Boolean.parseBoolean(inspect("{{.State.Running}}"));
    }

    boolean oomKilled() {
        return Boolean.parseBoolean(inspect("{{.State.OOMKilled}}"));
    }

    /** The most memory the container's cgroup has used so far, in MiB, as the kernel counts it (cgroup v2 or v1). */
    long peakMemoryMiB() {
        for (String counter : List.of("/sys/fs/cgroup/memory.peak", "/sys/fs/cgroup/memory/memory.max_usage_in_bytes")) {
            Podman.Result read = podman.call("exec", name, "cat", counter);
            if (read.ok()) {
                return Long.parseLong(read.output().strip()) / (1024 * 1024);
            }
        }
        throw new IllegalStateException(name + ": no cgroup memory counter readable");
    }

    String logs() {
        return podman.run("logs", name);
    }

    private String inspect(String format) {
        return podman.run("inspect", "--format", format, name);
    }

    /**
     * Stops the app as an orchestrator would (it drains and commits what finished), keeps its log under the
     * test's log directory and removes the container.
     */
    @Override
    public void close() {
        try {
            podman.call("stop", "--time", "30", name);
            Files.createDirectories(logDir);
            Files.writeString(logDir.resolve(name + ".log"), podman.call("logs", name).output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            podman.call("rm", "--force", "--time", "0", name);
        }
    }
}
