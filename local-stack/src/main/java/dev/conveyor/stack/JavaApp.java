package dev.conveyor.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Conveyor app's {@code main} in its own JVM, on this JVM's class path, so a test can kill it
 * with SIGKILL or stop it with SIGTERM like an orchestrator would. Ready when {@code /health} answers 200.
 */
public final class JavaApp implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A training run's exit writes the AOT cache: seconds on an idle machine, more on a busy one. */
    private static final Duration TRAINING_STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final ChildProcess process;
    private final int httpPort;

    private JavaApp(String name, ChildProcess process, int httpPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts {@code mainClass} with {@code env} (plus a free {@code HTTP_PORT}) and waits until it is healthy. */
    public static JavaApp start(String name, Class<?> mainClass, Map<String, String> env, Path logDir) {
        return start(name, mainClass, env, logDir, List.of());
    }

    /** As above, with extra JVM options (e.g. a heap limit) that win over the defaults. */
    public static JavaApp start(String name, Class<?> mainClass, Map<String, String> env, Path logDir, List<String> jvmOptions) {
        return start(name, mainClass, env, logDir, jvmOptions, true);
    }

    private static JavaApp start(String name, Class<?> mainClass, Map<String, String> env, Path logDir, List<String> jvmOptions,
                                 boolean classCache) {
        int port = FreePorts.next();
        Map<String, String> environment = new HashMap<>(env);
        environment.put("HTTP_PORT", Integer.toString(port));
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        if (classCache) {
            command.addAll(classCacheOptions(mainClass, logDir));
        }
        command.addAll(quietOptions());
        // a child's log lines carry the time, so a restart's phases can be read off its log
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jarsOnly(mainClass), mainClass.getName()));
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcess child = ChildProcess.start(name, command, environment, logDir, logDir.resolve(name + ".log"));
        JavaApp app = new JavaApp(name, child, port);
        child.awaitReady(app::healthy, READY_TIMEOUT);
        return app;
    }

    /**
     * Options that keep an app's log free of the JDK's warnings about its libraries (Netty's use of
     * sun.misc.Unsafe, lz4's native library), each only where the JDK knows it: an unknown option stops the JVM.
     */
    static List<String> quietOptions() {
        int feature = Runtime.version().feature();
        List<String> options = new ArrayList<>();
        if (feature >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    /**
     * The classes an app loads, cached and mapped by every later start: a restart spends most of its time
     * loading and linking the same classes. An AOT cache (JDK 25+, classes loaded and linked ahead of time)
     * once {@link #trainClassCache} made one; else a dynamic shared archive, written when the first
     * instance exits.
     */
    static List<String> classCacheOptions(Class<?> mainClass, Path logDir) {
        Path aot = aotCache(mainClass, logDir);
        if (aot != null && Files.exists(aot)) {
            return List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + logDir.toAbsolutePath().resolve(archiveName(mainClass)),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Where {@code mainClass}'s AOT cache for this class path lives; null before JDK 25. */
    private static Path aotCache(Class<?> mainClass, Path logDir) {
        return Runtime.version().feature() >= 25
                ? logDir.toAbsolutePath().resolve(archiveName(mainClass).replace(".jsa", ".aot")) : null;
    }

    /**
     * Makes {@code mainClass}'s AOT cache, if this JDK has them and it has none yet: starts the app with
     * {@code env}, waits until it is healthy, runs {@code workload} (what the app does once it works: the
     * cache holds the classes the training run used, so a workload puts the first records' code in it too)
     * and stops it with SIGTERM, which writes the cache (taking a few seconds more). Call it before
     * measuring how fast an app restarts. The app is a real one: it joins its group and works until it stops.
     */
    public static void trainClassCache(String name, Class<?> mainClass, Map<String, String> env, Path logDir, Runnable workload) {
        Path aot = aotCache(mainClass, logDir);
        if (aot == null || Files.exists(aot)) {
            return;
        }
        JavaApp training = start(name, mainClass, env, logDir, List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:aot=warning", "-Xlog:cds=off"), false);
        try {
            workload.run();
        } catch (RuntimeException e) {
            training.close();
            throw e;
        }
        int exit = training.terminate(TRAINING_STOP_TIMEOUT);
        if (!Files.exists(aot)) {
            throw new IllegalStateException(name + " exited with " + exit + " and wrote no AOT cache\n" + training.logTail());
        }
    }

    /**
     * The shared archive's file, named after the class path it was made from: the JVM neither uses nor
     * remakes an archive whose jars changed since, so a rebuilt jar must get a new file.
     */
    static String archiveName(Class<?> mainClass) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (String entry : jarsOnly(mainClass).split(java.io.File.pathSeparator)) {
            java.io.File file = new java.io.File(entry);
            crc.update((entry + ':' + file.length() + ':' + file.lastModified() + ';').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return mainClass.getSimpleName() + "-" + Long.toHexString(crc.getValue()) + ".jsa";
    }

    /**
     * This JVM's class path without its class directories, unless one holds the main class: the shared
     * archive of an app's classes can only be made from jars, and an app under test is a jar here.
     */
    static String jarsOnly(Class<?> mainClass) {
        String home;
        try {
            home = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Files.isDirectory(Path.of(entry)) || Path.of(entry).toAbsolutePath().toString().equals(home))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where its {@code /health} and {@code /metrics} are served. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return process.log();
    }

    public String logTail() {
        return process.logTail();
    }

    /** SIGKILL: the app gets no chance to drain, commit or flush. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM, as an orchestrator stops an app; returns the exit code. */
    public int terminate(Duration timeout) {
        return process.terminate(timeout);
    }

    private boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
