package dev.conveyor.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Apicurio Registry with in-memory storage, run from its Maven Central zip as its own JVM. Plain
 * HTTP by default; with a {@link StackSecurity} it serves HTTPS only, with the stack's certificate, and
 * requires HTTP basic authentication (Quarkus' embedded user realm, which the 3.0 distribution ships)
 * for every API call but the system info.
 */
public final class ApicurioRegistry implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String HEAP = "-Xmx384m";

    private final ChildProcess process;
    private final int port;
    private final StackSecurity security;

    private ApicurioRegistry(ChildProcess process, int port, StackSecurity security) {
        this.process = process;
        this.port = port;
        this.security = security;
    }

    public static ApicurioRegistry start(StackArtifacts artifacts, Path workDir) {
        return start(artifacts, workDir, null);
    }

    static ApicurioRegistry start(StackArtifacts artifacts, Path workDir, StackSecurity security) {
        Path home = unpacked(artifacts);
        Path runner = home.resolve("apicurio-registry-app-" + artifacts.registryVersion() + "-runner.jar");
        int port = FreePorts.next();
        Map<String, String> environment = new HashMap<>(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1"));
        if (security != null) {
            // no plain HTTP port at all: the HTTP port variable only keeps Quarkus off its default 8080
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(FreePorts.next()));
            environment.put("QUARKUS_CONFIG_LOCATIONS", writeSecurityConfig(workDir, port, security).toUri().toString());
        }
        ChildProcess process = ChildProcess.start("apicurio-registry",
                List.of(ChildProcess.javaExecutable(), HEAP, "-XX:+UseSerialGC", "-jar", runner.toString()),
                environment, home, workDir.resolve("registry.log"));
        ApicurioRegistry registry = new ApicurioRegistry(process, port, security);
        process.awaitReady(registry::answers, START_TIMEOUT);
        return registry;
    }

    /**
     * Quarkus settings of the secure registry, in a file of the stack's own directory (the passwords stay
     * off the command line): TLS from the PKCS12 key store, the HTTP port closed, and basic
     * authentication against one plain-text embedded user. {@code quarkus.http.auth.basic} is also what
     * makes Apicurio 3.0 enforce authentication ({@code AuthConfig.basicAuthEnabled}).
     */
    private static Path writeSecurityConfig(Path workDir, int sslPort, StackSecurity security) {
        Path file = workDir.resolve("registry-security.properties");
        String properties = String.join("\n",
                "quarkus.http.ssl-port=" + sslPort,
                "quarkus.http.insecure-requests=disabled",
                "quarkus.http.ssl.certificate.key-store-file=" + security.tls().serverKeystore(),
                "quarkus.http.ssl.certificate.key-store-password=" + security.tls().serverKeystorePassword(),
                "quarkus.http.auth.basic=true",
                "quarkus.security.users.embedded.enabled=true",
                "quarkus.security.users.embedded.plain-text=true",
                "quarkus.security.users.embedded.users." + security.registryUser() + "=" + security.registryPassword(),
                "");
        try {
            Files.writeString(file, properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Base URL, e.g. http://127.0.0.1:8080 (https for the secure stack); the Apicurio v3 API is under
     * /apis/registry/v3, Confluent's under /apis/ccompat/v7.
     */
    public String url() {
        return (security == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public String apiUrl() {
        return url() + "/apis/registry/v3";
    }

    private boolean answers() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (security != null) {
            builder.sslContext(security.tls().clientContext());
        }
        try (HttpClient client = builder.build()) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(apiUrl() + "/system/info")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Unpacks the registry zip once per version into the temp dir; concurrent runs race safely via an atomic rename. */
    static Path unpacked(StackArtifacts artifacts) {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "conveyor-apicurio-registry-" + artifacts.registryVersion());
        if (Files.isDirectory(target.resolve("lib"))) {
            return target;
        }
        try {
            Path staging = Files.createTempDirectory(target.getParent(), "conveyor-apicurio-unpack-");
            try (ZipFile zip = new ZipFile(artifacts.registryZip().toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("zip entry escapes the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException lostRace) {
                deleteRecursively(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + artifacts.registryZip(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
