package dev.conveyor.faults;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** Which broker leads how many partitions of some topics, as the cluster's metadata says now. */
record Leaders(Map<Integer, Long> partitionsByNode) {

    static Leaders of(Admin admin, Collection<String> topics) {
        try {
            return new Leaders(admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .map(TopicPartitionInfo::leader)
                    // a partition without a leader (its election still running) is led by no one
                    .filter(leader -> leader != null && !leader.isEmpty())
                    .map(Node::id)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe " + topics, e.getCause());
        }
    }

    /** The node leading the most partitions. */
    int busiest() {
        return partitionsByNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    long ledBy(int node) {
        return partitionsByNode.getOrDefault(node, 0L);
    }

    long total() {
        return partitionsByNode.values().stream().mapToLong(Long::longValue).sum();
    }
}
