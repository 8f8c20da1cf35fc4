package dev.conveyor.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The app images as a user builds them: the one Dockerfile at the project root, the app as a build
 * argument, on a base image with a Java 21 runtime. Where no registry can be reached the base is made
 * from the Debian mirror by {@code deploy/container/base-image.sh} ({@code conveyor-base:local});
 * {@code -Dconveyor.base.image=...} names another one.
 */
final class AppImages {

    static final List<String> APPS = List.of("producer-app", "processor-app", "notifier-app", "console-app");
    static final Path ROOT = Path.of(System.getProperty("conveyor.root", "..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("conveyor.version", "0.1.0-SNAPSHOT");
    static final String LOCAL_BASE = "conveyor-base:local";

    private AppImages() {
    }

    /** The name and tag the compose file and the documentation use for an app's image. */
    static String tag(String app) {
        return "conveyor/" + app + ":" + VERSION;
    }

    /** The base image, made when it is the local one and podman does not hold it yet. */
    static String base(Podman podman) {
        String base = System.getProperty("conveyor.base.image", LOCAL_BASE);
        if (base.equals(LOCAL_BASE)) {
            podman.exec(Duration.ofMinutes(10), Map.of(), List.of(ROOT.resolve("deploy/container/base-image.sh").toString(), LOCAL_BASE))
                    .orFail(List.of("deploy/container/base-image.sh"));
        }
        return base;
    }

    /** Builds {@code app}'s image from its runnable jar, which {@code ./mvnw package} made. */
    static void build(Podman podman, String base, String app) {
        Path jar = ROOT.resolve(app).resolve("target").resolve("conveyor-" + app + "-" + VERSION + "-all.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the apps first (./mvnw package runs this test after them)");
        }
        // the previous build of the tag goes, rather than stay behind untagged at every rebuild; absent, nothing to do
        podman.call("rmi", tag(app));
        // docker format: the OCI image format has no HEALTHCHECK
        podman.run(Duration.ofMinutes(5), "build", "--quiet", "--format", "docker", "--file", ROOT.resolve("Dockerfile").toString(),
                "--build-arg", "APP=" + app, "--build-arg", "BASE_IMAGE=" + base, "--build-arg", "VERSION=" + VERSION,
                "--tag", tag(app), ROOT.toString());
    }
}
