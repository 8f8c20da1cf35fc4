package dev.conveyor.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node.js programs for tests that check Conveyor with tools nobody here wrote (a Standard
 * Webhooks verifier, a browser driver): npm packages installed at pinned versions into a directory
 * under {@code target}, and scripts run there. A command that is missing, fails or overruns throws
 * {@link IllegalStateException} with what it printed.
 */
public final class NodeScripts {

    public static final long INSTALL_TIMEOUT_SECONDS = 300;

    private NodeScripts() {
    }

    /** {@code npm install <packages> --prefix dir}, each package pinned ({@code name@version}). */
    public static void install(Path dir, List<String> packages) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("npm", "install"));
        command.addAll(packages);
        command.addAll(List.of("--prefix", dir.toString(), "--no-audit", "--no-fund", "--no-update-notifier"));
        run(dir, command, INSTALL_TIMEOUT_SECONDS);
    }

    /** Runs {@code command} in {@code dir} and answers what it printed on standard output. */
    public static String run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("'" + command.getFirst() + "' is not installed or not on the PATH (" + e.getMessage()
                    + "): install Node.js 18 or newer with npm, and let npm reach its registry", e);
        }
        process.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread errors = Thread.ofVirtual().start(() -> streams[1] = readAll(process.getErrorStream()));
        streams[0] = readAll(process.getInputStream());
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        errors.join();
        String out = new String(streams[0], StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + out + "\n"
                    + new String(streams[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("(unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
