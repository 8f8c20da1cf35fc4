package dev.conveyor.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A real Kafka broker (or a three-node cluster, {@link #startThreeBrokers()}) and a real Apicurio
 * Registry on free loopback ports, started in parallel as child processes. Used by the tests and by the one-command local run. {@link #startSecure()}
 * starts them with authentication and TLS instead: a SASL_SSL (SCRAM-SHA-512) listener and an HTTPS
 * registry with basic authentication, on certificates made for the start.
 */
public final class LocalStack implements AutoCloseable {

    private static LocalStack shared;

    private final Path workDir;
    private final KafkaCluster kafka;
    private final ApicurioRegistry registry;
    private final StackSecurity security;

    private LocalStack(Path workDir, KafkaCluster kafka, ApicurioRegistry registry, StackSecurity security) {
        this.workDir = workDir;
        this.kafka = kafka;
        this.registry = registry;
        this.security = security;
    }

    public static LocalStack start() {
        return start(BrokerHeap.GROWING);
    }

    public static LocalStack start(BrokerHeap brokerHeap) {
        return start(brokerHeap, 1, false);
    }

    /**
     * A stack of its own whose Kafka is three nodes, each broker and controller of one KRaft quorum:
     * topics on three replicas with {@code min.insync.replicas=2}, so any one node may die and come back.
     */
    public static LocalStack startThreeBrokers() {
        return start(BrokerHeap.GROWING, 3, false);
    }

    /**
     * A stack of its own (never the shared one) whose broker takes clients only over SASL_SSL with
     * SCRAM-SHA-512 and whose registry serves only HTTPS with basic authentication; {@link #security()}
     * holds the users, passwords and trust stores its clients need.
     */
    public static LocalStack startSecure() {
        return start(BrokerHeap.GROWING, 1, true);
    }

    private static LocalStack start(BrokerHeap brokerHeap, int brokers, boolean secure) {
        StackArtifacts artifacts = StackArtifacts.load();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("conveyor-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StackSecurity security = secure ? StackSecurity.generate(workDir.resolve("tls")) : null;
        CompletableFuture<KafkaCluster> kafka = CompletableFuture.supplyAsync(() -> brokers == 1
                ? KafkaCluster.single(artifacts, workDir, brokerHeap, security)
                : KafkaCluster.quorum(artifacts, workDir, brokerHeap, security, brokers));
        CompletableFuture<ApicurioRegistry> registry = CompletableFuture.supplyAsync(() -> ApicurioRegistry.start(artifacts, workDir, security));
        try {
            return new LocalStack(workDir, kafka.join(), registry.join(), security);
        } catch (CompletionException e) {
            kafka.thenAccept(KafkaCluster::close);
            registry.thenAccept(ApicurioRegistry::close);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** One stack per JVM, started on first use and stopped when the JVM exits: what a test suite wants. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "conveyor-local-stack-shutdown"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Apicurio Registry base URL (without an API path). */
    public String registryUrl() {
        return registry.url();
    }

    /** The secure stack's users, passwords and trust stores; empty for a plain stack. */
    public Optional<StackSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** The first (on a single-broker stack, the only) broker. */
    public KafkaBroker broker() {
        return kafka.brokers().getFirst();
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            registry.close();
            try {
                if (Boolean.getBoolean("conveyor.stack.keep") || "true".equals(System.getenv("CONVEYOR_STACK_KEEP"))) {
                    return;
                }
                ApicurioRegistry.deleteRecursively(workDir);
            } catch (IOException ignored) {
                // temp files only; the OS cleans the temp dir eventually
            }
        }
    }
}
