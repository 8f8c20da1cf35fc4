package dev.conveyor.stack;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nodes of one KRaft cluster, each a combined broker and controller on its own loopback ports, and
 * the replication their number allows: every topic on up to three replicas, writes needing all but one.
 */
record KraftQuorum(String clusterId, List<Node> nodes) {

    /** A node's id and the ports it keeps across restarts. */
    record Node(int id, int port, int controllerPort) {
    }

    static KraftQuorum onFreePorts(int size) {
        return new KraftQuorum(KafkaBroker.newClusterId(),
                IntStream.rangeClosed(1, size).mapToObj(id -> new Node(id, FreePorts.next(), FreePorts.next())).toList());
    }

    /** {@code controller.quorum.voters}: a static quorum needs no bootstrapping beyond formatting with one cluster id. */
    String voters() {
        return nodes.stream().map(n -> n.id() + "@127.0.0.1:" + n.controllerPort()).collect(Collectors.joining(","));
    }

    short replicationFactor() {
        return (short) Math.min(3, nodes.size());
    }

    /** One replica may be down and writes with {@code acks=all} still succeed; a single node needs only itself. */
    int minInsyncReplicas() {
        return Math.max(1, replicationFactor() - 1);
    }
}
