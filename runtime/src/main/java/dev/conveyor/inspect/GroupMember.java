package dev.conveyor.inspect;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * One member of a consumer group, as the broker's group coordinator describes it.
 *
 * @param memberId   the member's id in the group
 * @param clientId   the consumer's {@code client.id}
 * @param instanceId its {@code group.instance.id} (a Conveyor app's {@code INSTANCE_ID}); empty for a dynamic member
 * @param host       where the member connects from
 * @param assignment the partitions assigned to it, of every topic it consumes
 */
public record GroupMember(String memberId, String clientId, java.util.Optional<String> instanceId, String host,
                          List<TopicPartition> assignment) {

    public GroupMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(instanceId, "instanceId");
        assignment = List.copyOf(assignment);
    }
}
