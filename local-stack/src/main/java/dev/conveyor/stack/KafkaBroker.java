package dev.conveyor.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * One Apache Kafka broker in KRaft mode (combined broker and controller), run as its own
 * JVM from the jars Maven resolved: {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka}.
 * Plain by default; with a {@link StackSecurity} its client and inter-broker listener is SASL_SSL
 * (SCRAM users created at format time) and only the controller listener on loopback stays plain.
 * One node alone, or one of a {@link KraftQuorum} whose nodes replicate each other's partitions.
 */
public final class KafkaBroker implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Room for 8,192 offset index entries, one per 4 KiB of log: a segment rolls after 32 MiB of a partition's data. */
    static final int INDEX_FILE_BYTES = 64 * 1024;

    private final Path workDir;
    private final Path config;
    private final StackArtifacts artifacts;
    private final KraftQuorum.Node node;
    private final BrokerHeap heap;
    private final StackSecurity security;
    private ChildProcess process;

    private KafkaBroker(StackArtifacts artifacts, Path workDir, Path config, KraftQuorum.Node node, BrokerHeap heap, StackSecurity security) {
        this.artifacts = artifacts;
        this.heap = heap;
        this.security = security;
        this.workDir = workDir;
        this.config = config;
        this.node = node;
    }

    /** Formats fresh storage and starts the broker; returns once it answers a metadata request. */
    public static KafkaBroker start(StackArtifacts artifacts, Path workDir, BrokerHeap heap) {
        return start(artifacts, workDir, heap, null);
    }

    /** As {@link #start(StackArtifacts, Path, BrokerHeap)}, with a SASL_SSL listener when {@code security} is given. */
    static KafkaBroker start(StackArtifacts artifacts, Path workDir, BrokerHeap heap, StackSecurity security) {
        KraftQuorum alone = KraftQuorum.onFreePorts(1);
        KafkaBroker broker = format(artifacts, workDir, heap, security, alone, alone.nodes().getFirst());
        broker.launch();
        return broker;
    }

    /**
     * Writes one node's configuration and formats its storage in {@code workDir}, without starting it: the
     * nodes of a quorum start together, since none answers before a majority of them runs ({@link #launch}).
     */
    static KafkaBroker format(StackArtifacts artifacts, Path workDir, BrokerHeap heap, StackSecurity security,
                              KraftQuorum quorum, KraftQuorum.Node node) {
        Path dataDir = workDir.resolve("kafka-data");
        Path config = workDir.resolve("server.properties");
        writeConfig(config, dataDir, quorum, node, security);
        List<String> format = new ArrayList<>(List.of("format", "-t", quorum.clusterId(), "-c", config.toString()));
        if (security != null) {
            // SCRAM credentials go into the first metadata records: both users exist before the broker takes a connection
            format.addAll(List.of("--add-scram", security.saslMechanism() + "=[name=" + security.brokerUser() + ",password=" + security.brokerPassword() + "]",
                    "--add-scram", security.saslMechanism() + "=[name=" + security.kafkaUser() + ",password=" + security.kafkaPassword() + "]"));
        }
        ChildProcess.runToCompletion("kafka-storage-format",
                javaCommand(artifacts, BrokerHeap.GROWING, "kafka.tools.StorageTool", format.toArray(String[]::new)),
                workDir, workDir.resolve("kafka-format.log"), Duration.ofSeconds(60));
        return new KafkaBroker(artifacts, workDir, config, node, heap, security);
    }

    /** Starts the formatted broker on its ports and data; returns once it answers a metadata request. */
    void launch() {
        process = ChildProcess.start("kafka-" + node.id(), javaCommand(artifacts, heap, "kafka.Kafka", config.toString()),
                Map.of(), workDir, workDir.resolve("kafka.log"));
        process.awaitReady(this::answersMetadata, START_TIMEOUT);
    }

    /** Stops the broker (SIGTERM, SIGKILL after a grace period) and starts it again on the same ports and data. */
    public void restart() {
        process.close();
        launch();
    }

    /** SIGKILL, as a crashed machine: nothing is flushed, no leadership is handed over, the controller learns by silence. */
    public void kill() {
        process.kill();
    }

    /** Starts a {@link #kill killed} broker again on the same ports and data; returns once it answers a metadata request. */
    public void relaunch() {
        launch();
    }

    /** Its {@code node.id}, the id Kafka's metadata names partition leaders by. */
    public int nodeId() {
        return node.id();
    }

    /** The broker's process id, which a {@link #restart} changes: the benchmark reads its CPU time by it. */
    public long pid() {
        return process.pid();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + node.port();
    }

    public Path log() {
        return process.log();
    }

    private boolean answersMetadata() {
        try (java.net.Socket socket = new java.net.Socket()) {
            // cheap first: an admin client against a closed port only logs warnings
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()), 500);
        } catch (java.io.IOException notListening) {
            return false;
        }
        Properties props = new Properties();
        props.putAll(clientSecurity());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    /** What a client of this broker needs besides its address: nothing for a plain broker. */
    private Map<String, String> clientSecurity() {
        if (security == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", security.saslMechanism(),
                "sasl.jaas.config", StackSecurity.scramLogin(security.kafkaUser(), security.kafkaPassword()),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", security.tls().truststore().toString(),
                "ssl.truststore.password", security.tls().truststorePassword());
    }

    static List<String> javaCommand(StackArtifacts artifacts, BrokerHeap heap, String mainClass, String... args) {
        // the garbage collector settings of Kafka's own start script (KAFKA_JVM_PERFORMANCE_OPTS), so the
        // broker pauses as a production one would: a pause holds every produce and fetch of the pipeline
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable()));
        command.addAll(heap.jvmOptions());
        command.addAll(List.of("-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", artifacts.kafkaClasspathString(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static void writeConfig(Path config, Path dataDir, KraftQuorum quorum, KraftQuorum.Node node, StackSecurity security) {
        int port = node.port();
        int controllerPort = node.controllerPort();
        short replication = quorum.replicationFactor();
        int minIsr = quorum.minInsyncReplicas();
        String listener = security == null ? "PLAINTEXT" : "SASL_SSL";
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + node.id(),
                "controller.quorum.voters=" + quorum.voters(),
                "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listener,
                "listener.security.protocol.map=" + listener + ":" + listener + ",CONTROLLER:PLAINTEXT",
                securityConfig(security),
                "log.dirs=" + dataDir,
                // topics are created explicitly by the apps, with their configured partition counts
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + minIsr,
                "offsets.topic.replication.factor=" + replication,
                "offsets.topic.num.partitions=12",
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + minIsr,
                "transaction.state.log.num.partitions=12",
                // a killed exactly-once instance's open transaction is aborted soon after its timeout
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
                "share.coordinator.state.topic.replication.factor=" + replication,
                "share.coordinator.state.topic.min.isr=" + minIsr,
                "group.initial.rebalance.delay.ms=0",
                "group.consumer.heartbeat.interval.ms=1000",
                "group.consumer.min.heartbeat.interval.ms=500",
                "group.consumer.session.timeout.ms=10000",
                "group.consumer.min.session.timeout.ms=6000",
                "log.flush.interval.messages=9223372036854775807",
                // every new segment's offset and time index is a sparse file of this size, mapped into memory; on
                // the benchmark machine (Linux 6.18, ext4) the first write into one had the kernel zero far more of
                // it than was written, and with Kafka's 10 MiB that was half the CPU of the raw ceiling runs
                "log.index.size.max.bytes=" + INDEX_FILE_BYTES,
                "")
                ;
        try {
            Files.createDirectories(dataDir);
            Files.writeString(config, properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SASL_SSL listener: SCRAM logins over TLS with the stack's certificate, for clients and for the
     * broker's own inter-broker connections (replication, and transaction markers to partition leaders).
     */
    private static String securityConfig(StackSecurity security) {
        if (security == null) {
            return "";
        }
        StackTls tls = security.tls();
        return String.join("\n",
                "sasl.enabled.mechanisms=" + security.saslMechanism(),
                "sasl.mechanism.inter.broker.protocol=" + security.saslMechanism(),
                "listener.name.sasl_ssl." + security.saslMechanism().toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config="
                        + StackSecurity.scramLogin(security.brokerUser(), security.brokerPassword()),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + tls.serverKeystore(),
                "ssl.keystore.password=" + tls.serverKeystorePassword(),
                "ssl.key.password=" + tls.serverKeystorePassword(),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.password=" + tls.truststorePassword(),
                "ssl.client.auth=none");
    }

    /** A random KRaft cluster id; like Kafka's own, never starting with '-', which the tool would read as an option. */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
