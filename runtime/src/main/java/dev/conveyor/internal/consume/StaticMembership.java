package dev.conveyor.internal.consume;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every consumer joins its group as a static member named by its {@code INSTANCE_ID}. Under the
 * consumer rebalance protocol the broker keeps a member that died without leaving (SIGKILL, OOM, a
 * lost node) until its session times out, and refuses a new member with the same name until then;
 * so a starting instance first removes a member still registered under its name. A restarted
 * instance thereby takes its predecessor's partitions at once instead of after the session timeout.
 * The newest instance with a name wins: a live instance that is displaced this way fails with
 * {@link org.apache.kafka.common.errors.UnreleasedInstanceIdException} and stops (see {@link ConsumeLoop}).
 */
final class StaticMembership {

    private static final Logger LOG = LoggerFactory.getLogger(StaticMembership.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private StaticMembership() {
    }

    /** Removes the member of {@code group} registered as {@code instanceId}, if any; returns whether there was one. */
    static boolean removePredecessor(Admin admin, String group, String instanceId) {
        try {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(group)).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ConsumerGroupDescription description = groups.get(group);
            if (description == null) {
                return false;
            }
            for (MemberDescription member : description.members()) {
                if (member.groupInstanceId().filter(instanceId::equals).isPresent()) {
                    LOG.warn("{}: a member named INSTANCE_ID '{}' is still registered (client {} on {}, holding {}): "
                                    + "removing it so this instance takes its partitions now", group, instanceId, member.clientId(),
                            member.host(), member.assignment().topicPartitions().size() + " partitions");
                    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
                            List.of(new MemberToRemove(instanceId)))).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                }
            }
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            // the join still works, only later: once the predecessor's session has expired
            LOG.warn("{}: could not look for a predecessor named '{}': {}", group, instanceId, e.getCause().toString());
            return false;
        } catch (TimeoutException e) {
            LOG.warn("{}: could not look for a predecessor named '{}' within {}", group, instanceId, ADMIN_TIMEOUT);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
