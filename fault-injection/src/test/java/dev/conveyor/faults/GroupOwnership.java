package dev.conveyor.faults;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** Which partitions a named member of a consumer group owns, as the group coordinator describes it. */
final class GroupOwnership {

    private GroupOwnership() {
    }

    /** The partitions of {@code topic} that the member named {@code instanceId} owns; none before the group exists. */
    static Set<Integer> partitions(Admin admin, String group, String instanceId, String topic) throws Exception {
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Set.of();
            }
            throw e;
        }
        return description.members().stream().filter(m -> m.groupInstanceId().filter(instanceId::equals).isPresent())
                .map(MemberDescription::assignment).flatMap(a -> a.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).collect(Collectors.toSet());
    }
}
