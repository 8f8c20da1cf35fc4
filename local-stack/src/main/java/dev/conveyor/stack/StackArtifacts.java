package dev.conveyor.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Where Maven resolved the broker and registry artifacts, as recorded at build time by the
 * {@code conveyor-local-stack-artifacts} module. Nothing is downloaded at run time.
 */
public record StackArtifacts(String kafkaVersion, List<Path> kafkaClasspath, String registryVersion, Path registryZip) {

    private static final String RESOURCE = "/dev/conveyor/stack/artifacts.properties";

    public StackArtifacts {
        for (Path jar : kafkaClasspath) {
            requireFile(jar, "kafka.classpath");
        }
        requireFile(registryZip, "registry.zip");
    }

    public static StackArtifacts load() {
        Properties properties = new Properties();
        try (InputStream in = StackArtifacts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build the local-stack-artifacts module first (./mvnw install)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> classpath = Arrays.stream(properties.getProperty("kafka.classpath").split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
        return new StackArtifacts(
                properties.getProperty("kafka.version"),
                classpath,
                properties.getProperty("registry.version"),
                Path.of(properties.getProperty("registry.zip")));
    }

    public String kafkaClasspathString() {
        return String.join(java.io.File.pathSeparator, kafkaClasspath.stream().map(Path::toString).toList());
    }

    private static void requireFile(Path path, String key) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(key + ": " + path + " does not exist; rebuild with ./mvnw install");
        }
    }
}
