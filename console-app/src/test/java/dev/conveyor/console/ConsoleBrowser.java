package dev.conveyor.console;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.stack.NodeScripts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium driven by Playwright ({@code playwright-core} from npm at a pinned version, with the
 * machine's own Chromium: no browser download). Without Chromium the browser test is skipped, saying
 * how to install it, unless {@value #REQUIRED} is set (CI sets it), when it fails instead.
 */
final class ConsoleBrowser {

    static final String PLAYWRIGHT = "playwright-core@1.65.2";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String REQUIRED = "CONVEYOR_BROWSER_TESTS";
    private static final String SCRIPT = "console.e2e.mjs";
    private static final long RUN_TIMEOUT_SECONDS = 240;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private ConsoleBrowser(Path dir) {
        this.dir = dir;
    }

    static ConsoleBrowser installOrSkip(Path where) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Path.of(CHROMIUM));
        String missing = "the console's browser test needs Chromium at " + CHROMIUM + " (Debian: apt-get install chromium) and Node.js with npm";
        if (!present && "required".equals(System.getenv(REQUIRED))) {
            fail(missing + "; " + REQUIRED + "=required");
        }
        assumeTrue(present, missing + "; skipped");
        Path dir = Files.createDirectories(where.toAbsolutePath());
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("playwright-core"))) {
            NodeScripts.install(dir, List.of(PLAYWRIGHT));
        }
        try (InputStream script = ConsoleBrowser.class.getResourceAsStream("/e2e/" + SCRIPT)) {
            Files.copy(script, dir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        }
        return new ConsoleBrowser(dir);
    }

    /** Runs the script with {@code input} (plus the browser's path) and answers what it saw. */
    JsonNode run(Map<String, Object> input) throws IOException, InterruptedException {
        Path file = dir.resolve("input.json");
        Map<String, Object> all = new java.util.HashMap<>(input);
        all.put("chromium", CHROMIUM);
        JSON.writeValue(file.toFile(), all);
        String out = NodeScripts.run(dir, List.of("node", dir.resolve(SCRIPT).toString(), file.toString()), RUN_TIMEOUT_SECONDS);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
        return JSON.readTree(last);
    }
}
