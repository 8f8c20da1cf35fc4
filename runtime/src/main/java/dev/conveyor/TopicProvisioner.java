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
import org.apache.kafka.clients.admin.TopicDescription;
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
                    // another instance created it between our list and create: fine
                }
            }
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
