package dev.conveyor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics an app needs, with the configured partition counts, before it produces or
 * consumes. Brokers run with auto-creation off, so a missing topic is always a start-up error here,
 * never a silently created single-partition topic.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final TopicConfig config;

    public TopicProvisioner(Admin admin, TopicConfig config) {
        this.admin = admin;
        this.config = config;
    }

    public void ensure(List<TopicDescriptor<?>> topics) {
        if (!config.createTopics()) {
            LOG.info("{}=false: not creating {}", TopicConfig.CREATE_TOPICS, topics.stream().map(TopicDescriptor::name).toList());
            return;
        }
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicDescriptor<?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), config.partitionsOf(topic), config.replicationFactor())
                            .configs(topic.configs()));
                }
            }
            Map<String, Integer> createdNow = new java.util.HashMap<>();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.info("created topic {}", created.getKey());
                    missing.stream().filter(t -> t.name().equals(created.getKey())).findFirst()
                            .ifPresent(t -> createdNow.put(t.name(), t.numPartitions()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // another instance created it between our list and create: fine
                }
            }
            awaitLeaders(admin, createdNow);
            // only topics that existed before: a topic created a moment ago may not be described yet
            warnOnFewerPartitions(topics.stream().filter(t -> existing.contains(t.name())).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + topics.stream().map(TopicDescriptor::name).toList()
                    + " on " + admin, e);
        }
    }

    /**
     * Returns once every partition of these new topics is served by its leader. A topic exists as soon
     * as the controller created it, but each broker applies that a moment later, and an idempotent
     * producer sending at once can lose the race for good: its first request to a partition is refused
     * (not the leader yet), a later one is accepted, and the first then fails with an out-of-order
     * sequence on every retry until its delivery timeout, two minutes by default (KAFKA-15591, a broker
     * bug the 4.3.1 broker run here still has). Seen here as tasks stuck for two minutes on new topics.
     */
    public static void awaitLeaders(Admin admin, Map<String, Integer> partitionsByTopic) throws InterruptedException, TimeoutException {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> all = new java.util.HashMap<>();
        partitionsByTopic.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                all.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        // first until the metadata names a leader for each (quietly: the admin client logs every
        // unknown-partition answer to a leader lookup as an error), then until each leader answers
        while (!leadersKnown(admin, partitionsByTopic)) {
            pauseBeforeRetry(deadline, partitionsByTopic, "no leader in the metadata");
        }
        while (true) {
            try {
                // answered by each partition's leader, so only once that broker has applied the new partition
                admin.listOffsets(all).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new TimeoutException("partitions of " + partitionsByTopic.keySet() + " have no serving leader: " + e.getCause());
                }
                pauseBeforeRetry(deadline, partitionsByTopic, e.getCause().toString());
            }
        }
    }

    private static boolean leadersKnown(Admin admin, Map<String, Integer> partitionsByTopic) throws InterruptedException, TimeoutException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(partitionsByTopic.keySet()).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return partitionsByTopic.entrySet().stream().allMatch(topic -> {
                TopicDescription description = described.get(topic.getKey());
                return description != null && description.partitions().size() >= topic.getValue()
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            });
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            throw new TimeoutException("cannot describe " + partitionsByTopic.keySet() + ": " + e.getCause());
        }
    }

    private static void pauseBeforeRetry(long deadline, Map<String, Integer> partitionsByTopic, String why) throws TimeoutException {
        if (System.nanoTime() > deadline) {
            throw new TimeoutException("partitions of " + partitionsByTopic.keySet() + " have no serving leader after "
                    + TIMEOUT_SECONDS + " s: " + why);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    private void warnOnFewerPartitions(List<TopicDescriptor<?>> topics) throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics.stream().map(TopicDescriptor::name).toList())
                .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicDescriptor<?> topic : topics) {
            int actual = descriptions.get(topic.name()).partitions().size();
            if (actual < config.partitionsOf(topic)) {
                LOG.warn("topic {} has {} partitions, fewer than the configured {}; add partitions with kafka-topics --alter",
                        topic.name(), actual, config.partitionsOf(topic));
            }
        }
    }
}
