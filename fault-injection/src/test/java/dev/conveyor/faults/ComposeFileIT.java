package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is valid, and its app services run the images {@link ContainerImageIT}
 * proves, built from the same Dockerfile: the file the user runs is the tested one. Checked with
 * {@code docker-compose config} (or {@code podman-compose config}); skipped, saying why, where neither is
 * installed. No containers are started.
 */
class ComposeFileIT {

    /** What the file's {@code ${VAR:?}} guards ask for; any value passes validation. */
    static final Map<String, String> REQUIRED_SECRETS = Map.of("API_KEYS", "placeholder", "WEBHOOK_SECRETS", "placeholder",
            "CONSOLE_GATEWAY_API_KEY", "placeholder");

    @Test
    void composeFileIsValidAndItsAppsUseTheTestedImages() {
        Podman shell = new Podman(AppImages.ROOT);
        String tool = Stream.of("docker-compose", "podman-compose").filter(t -> installed(shell, t)).findFirst().orElse(null);
        Assumptions.assumeTrue(tool != null, "docker-compose.yml not validated: neither docker-compose nor podman-compose is on the PATH");

        String config = shell.exec(Duration.ofMinutes(1), REQUIRED_SECRETS, List.of(tool, "--file", "docker-compose.yml", "config"))
                .orFail(List.of(tool, "config"));

        Map<String, String> services = services(config);
        for (String app : AppImages.APPS) {
            assertThat(services).as("services").containsKey(app);
            assertThat(services.get(app)).as(app)
                    .contains("image: " + AppImages.tag(app))
                    .contains("dockerfile: Dockerfile")
                    .contains("APP: " + app);
        }
    }

    private static boolean installed(Podman shell, String tool) {
        try {
            return shell.exec(Duration.ofSeconds(30), Map.of(), List.of(tool, "version")).ok();
        } catch (java.io.UncheckedIOException notOnPath) {
            return false;
        }
    }

    /** Each service's lines in the normalised file {@code config} prints: services two spaces in, their keys deeper. */
    static Map<String, String> services(String config) {
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        boolean inServices = false;
        StringBuilder current = null;
        for (String line : config.split("\n")) {
            if (!line.startsWith(" ")) {
                inServices = line.equals("services:");
                current = null;
            } else if (inServices && !line.startsWith("   ") && line.endsWith(":")) {
                current = services.computeIfAbsent(line.strip().replace(":", ""), name -> new StringBuilder());
            } else if (current != null) {
                current.append(line.strip()).append('\n');
            }
        }
        Map<String, String> blocks = new LinkedHashMap<>();
        services.forEach((name, lines) -> blocks.put(name, lines.toString()));
        return blocks;
    }
}
