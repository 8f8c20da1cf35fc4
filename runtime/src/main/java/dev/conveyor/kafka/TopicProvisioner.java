package dev.conveyor.kafka;

import java.util.ArrayList;
import java.util.Collection;
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
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.info("created topic {}", created.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // another instance created it between our list and create: fine, and just as new
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            // only topics that existed before: a topic created a moment ago may not be described yet. Only a
            // warning, so off the start-up path, which a restarting app would otherwise wait for
            List<TopicDescriptor<?>> described = topics.stream().filter(t -> existing.contains(t.name())).toList();
            Thread.ofVirtual().name("topic-partition-check").start(() -> warnOnFewerPartitions(described));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + topics.stream().map(TopicDescriptor::name).toList()
                    + " on " + admin, e);
        }
    }

    /**
     * Returns once every partition of these new topics (created here or, a moment earlier, by another
     * instance) is served by its leader. A topic exists as soon
     * as the controller created it, but each broker applies that a moment later, and an idempotent
     * producer sending at once can lose the race for good: its first request to a partition is refused
     * (not the leader yet), a later one is accepted, and the first then fails with an out-of-order
     * sequence on every retry until its delivery timeout, two minutes by default (KAFKA-15591, a broker
     * bug the 4.3.1 broker run here still has). Seen here as tasks stuck for two minutes on new topics.
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics) throws InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        // first until the metadata names a leader for each partition (quietly: the admin client logs every
        // unknown-partition answer to a leader lookup as an error), then until each leader answers
        Map<TopicPartition, OffsetSpec> all;
        while ((all = partitionsWithLeaders(admin, topics)) == null) {
            pauseBeforeRetry(deadline, topics, "no leader in the metadata");
        }
        while (true) {
            try {
                // answered by each partition's leader, so only once that broker has applied the new partition
                admin.listOffsets(all).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new TimeoutException("partitions of " + topics + " have no serving leader: " + e.getCause());
                }
                pauseBeforeRetry(deadline, topics, e.getCause().toString());
            }
        }
    }

    /** Every partition of the topics, once the metadata names a leader for each; null until then. */
    private static Map<TopicPartition, OffsetSpec> partitionsWithLeaders(Admin admin, Collection<String> topics)
            throws InterruptedException, TimeoutException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> all = new java.util.HashMap<>();
            for (TopicDescription description : described.values()) {
                for (org.apache.kafka.common.TopicPartitionInfo partition : description.partitions()) {
                    if (partition.leader() == null || partition.leader().isEmpty()) {
                        return null;
                    }
                    all.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
                }
            }
            return all;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return null;
            }
            throw new TimeoutException("cannot describe " + topics + ": " + e.getCause());
        }
    }

    private static void pauseBeforeRetry(long deadline, Collection<String> topics, String why) throws TimeoutException {
        if (System.nanoTime() > deadline) {
            throw new TimeoutException("partitions of " + topics + " have no serving leader after " + TIMEOUT_SECONDS + " s: " + why);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    private void warnOnFewerPartitions(List<TopicDescriptor<?>> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(topics.stream().map(TopicDescriptor::name).toList())
                    .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("could not compare the partitions of {} with the configuration: {}", topics, e.toString());
            return;
        }
        for (TopicDescriptor<?> topic : topics) {
            int actual = descriptions.get(topic.name()).partitions().size();
            if (actual < config.partitionsOf(topic)) {
                LOG.warn("topic {} has {} partitions, fewer than the configured {}; add partitions with kafka-topics --alter",
                        topic.name(), actual, config.partitionsOf(topic));
            }
        }
    }
}
