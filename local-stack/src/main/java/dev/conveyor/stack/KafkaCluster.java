package dev.conveyor.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The stack's Kafka: one broker, or a quorum of combined broker-and-controller nodes started together,
 * each in a directory of its own, whose partitions are replicated {@link #replicationFactor()} times.
 */
public final class KafkaCluster implements AutoCloseable {

    private final List<KafkaBroker> brokers;
    private final short replicationFactor;

    private KafkaCluster(List<KafkaBroker> brokers, short replicationFactor) {
        this.brokers = brokers;
        this.replicationFactor = replicationFactor;
    }

    /** A single broker in {@code workDir} itself, where the one-broker stack has always kept it. */
    static KafkaCluster single(StackArtifacts artifacts, Path workDir, BrokerHeap heap, StackSecurity security) {
        return new KafkaCluster(List.of(KafkaBroker.start(artifacts, workDir, heap, security)), (short) 1);
    }

    /** {@code size} nodes in {@code workDir/kafka-<id>}, formatted with one cluster id and started in parallel. */
    static KafkaCluster quorum(StackArtifacts artifacts, Path workDir, BrokerHeap heap, StackSecurity security, int size) {
        KraftQuorum quorum = KraftQuorum.onFreePorts(size);
        // a thread per node, not the common pool: a launch blocks until its node answers, which none does
        // before a majority of voters runs, so launches queued behind one another would never finish
        try (ExecutorService perNode = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("kafka-start-", 1).factory())) {
            List<KafkaBroker> brokers = quorum.nodes().stream()
                    .map(node -> CompletableFuture.supplyAsync(() -> KafkaBroker.format(artifacts, nodeDir(workDir, node), heap, security, quorum, node), perNode))
                    .toList().stream().map(CompletableFuture::join).toList();
            List<CompletableFuture<Void>> launched = brokers.stream().map(b -> CompletableFuture.runAsync(b::launch, perNode)).toList();
            try {
                launched.forEach(CompletableFuture::join);
            } catch (CompletionException e) {
                brokers.forEach(KafkaBroker::close);
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            return new KafkaCluster(brokers, quorum.replicationFactor());
        }
    }

    private static Path nodeDir(Path workDir, KraftQuorum.Node node) {
        try {
            return Files.createDirectories(workDir.resolve("kafka-" + node.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<KafkaBroker> brokers() {
        return brokers;
    }

    /** The node with this {@code node.id}, as partition metadata names leaders. */
    public Optional<KafkaBroker> node(int nodeId) {
        return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst();
    }

    /** Every node's address: a client finds the cluster through whichever of them is up. */
    public String bootstrapServers() {
        return brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The replication the apps' topics can have here ({@code TOPIC_REPLICATION_FACTOR}): 1, or 3 on a quorum. */
    public short replicationFactor() {
        return replicationFactor;
    }

    @Override
    public void close() {
        // in parallel: a node stopping while the others wait for it to hand over leadership takes the grace period each
        brokers.parallelStream().forEach(KafkaBroker::close);
    }
}
