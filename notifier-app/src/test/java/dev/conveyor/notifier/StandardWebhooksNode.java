package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.stack.NodeScripts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Standard Webhooks reference verifier for Node (npm package {@code standardwebhooks}), installed
 * at a pinned version into a directory under {@code target} and run with {@code node}: a verifier
 * nobody here wrote. Missing {@code npm} or {@code node} fails the test that needs it, saying so.
 */
final class StandardWebhooksNode {

    static final String PACKAGE = "standardwebhooks";
    static final String VERSION = "1.3.0";
    private static final String SCRIPT = "verify-standardwebhooks.js";
    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery to verify: the secret the receiver holds, the headers and raw body it got, and how far its clock is ahead. */
    record Case(String name, String secret, Map<String, String> headers, String bodyBase64, long clockShiftSeconds) {
    }

    /** What the library said. */
    record Verdict(String name, boolean verified, String error) {
    }

    private final Path dir;
    private final String installedVersion;
    private final String nodeVersion;

    private StandardWebhooksNode(Path dir, String installedVersion, String nodeVersion) {
        this.dir = dir;
        this.installedVersion = installedVersion;
        this.nodeVersion = nodeVersion;
    }

    /** Runs {@code npm install standardwebhooks@1.3.0 --prefix dir} and puts the verification script next to it. */
    static StandardWebhooksNode install(Path where) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(where.toAbsolutePath());
        String nodeVersion = run(dir, List.of("node", "--version"), RUN_TIMEOUT_SECONDS).strip();
        try {
            NodeScripts.install(dir, List.of(PACKAGE + "@" + VERSION));
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        }
        Map<String, Object> manifest = JSON.readValue(dir.resolve("node_modules").resolve(PACKAGE).resolve("package.json").toFile(),
                new TypeReference<>() { });
        try (InputStream script = StandardWebhooksNode.class.getResourceAsStream("/webhooks/" + SCRIPT)) {
            Files.copy(script, dir.resolve(SCRIPT), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return new StandardWebhooksNode(dir, String.valueOf(manifest.get("version")), nodeVersion);
    }

    String installedVersion() {
        return installedVersion;
    }

    String nodeVersion() {
        return nodeVersion;
    }

    List<Verdict> verify(List<Case> cases) throws IOException, InterruptedException {
        Path input = dir.resolve("cases.json");
        JSON.writeValue(input.toFile(), cases);
        String output = run(dir, List.of("node", dir.resolve(SCRIPT).toString(), input.toString()), RUN_TIMEOUT_SECONDS);
        return JSON.readValue(output, new TypeReference<>() { });
    }

    private static String run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        try {
            return NodeScripts.run(dir, command, timeoutSeconds);
        } catch (IllegalStateException e) {
            return fail(e.getMessage() + ". This test verifies real webhook deliveries with the Standard Webhooks library for Node ("
                    + PACKAGE + "@" + VERSION + ").");
        }
    }
}
