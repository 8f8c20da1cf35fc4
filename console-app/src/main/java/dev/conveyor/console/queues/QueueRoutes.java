package dev.conveyor.console.queues;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.inspect.CommitNote;
import dev.conveyor.inspect.GroupMember;
import dev.conveyor.inspect.GroupSnapshot;
import dev.conveyor.inspect.PartitionSnapshot;
import dev.conveyor.inspect.QueueInspector;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.common.TopicPartition;

/**
 * The topics-and-tiers and consumers pages' API: every consumer group on the cluster, each inspected by
 * the {@link QueueInspector} the apps' queue gauges use, so the page and the metrics agree.
 * {@code GET /api/groups} answers every group's members and per-partition offsets, lag, queue latency
 * and, in delay tiers, the next due time; and from each partition's last commit ({@link CommitNote}) when it
 * was, by which instance, whether the partition was paused, and each member's in-flight and running counts.
 */
public final class QueueRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Admin admin;
    private final QueueInspector inspector;

    public QueueRoutes(Admin admin, QueueInspector inspector) {
        this.admin = admin;
        this.inspector = inspector;
    }

    public void routes(Javalin app) {
        app.get("/api/groups", this::groups);
    }

    private void groups(Context ctx) throws Exception {
        List<String> groups = new ArrayList<>();
        for (ConsumerGroupListing listing : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            groups.add(listing.groupId());
        }
        groups.sort(String::compareTo);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode out = answer.putArray("groups");
        for (String group : groups) {
            out.add(json(inspector.inspect(group), inspector.commitNotes(group)));
        }
        ctx.json(answer);
    }

    static ObjectNode json(GroupSnapshot snapshot, Map<TopicPartition, CommitNote> notes) {
        ObjectNode group = JSON.createObjectNode().put("group", snapshot.group()).put("at", snapshot.at().toString());
        ArrayNode members = group.putArray("members");
        for (GroupMember member : snapshot.members()) {
            ObjectNode m = members.addObject().put("memberId", member.memberId()).put("clientId", member.clientId())
                    .put("host", member.host());
            member.instanceId().ifPresent(id -> m.put("instanceId", id));
            ArrayNode assigned = m.putArray("assignment");
            member.assignment().stream().map(TopicPartition::toString).sorted().forEach(assigned::add);
            // the member's newest commit tells its in-flight and running counts at that moment
            // only notes this member wrote (its group.instance.id is the note's instance): a previous owner's are not its own
            member.assignment().stream().map(notes::get).filter(java.util.Objects::nonNull)
                    .filter(note -> member.instanceId().filter(note.instance()::equals).isPresent())
                    .max(java.util.Comparator.comparing(CommitNote::at)).ifPresent(note -> m.put("instance", note.instance())
                            .put("lastCommit", note.at().toString()).put("inFlight", note.inFlight()).put("running", note.running()));
        }
        ArrayNode topics = group.putArray("topics");
        for (String topic : snapshot.topics()) {
            ObjectNode t = topics.addObject().put("topic", topic).put("lag", snapshot.lag(topic));
            snapshot.queueLatency(topic).ifPresent(latency -> t.put("queueLatencySeconds", seconds(latency)));
            snapshot.nextDue(topic).ifPresent(due -> t.put("nextDue", due.toString()));
            ArrayNode partitions = t.putArray("partitions");
            for (PartitionSnapshot p : snapshot.partitions(topic)) {
                ObjectNode row = partitions.addObject().put("partition", p.partition()).put("endOffset", p.endOffset()).put("lag", p.lag());
                p.committedOffset().ifPresent(offset -> row.put("committedOffset", offset));
                p.queueLatency().ifPresent(latency -> row.put("queueLatencySeconds", seconds(latency)));
                p.oldestWrittenAt().ifPresent(at -> row.put("oldestWrittenAt", at.toString()));
                p.nextDue().ifPresent(due -> row.put("nextDue", due.toString()));
                p.memberId().ifPresent(member -> row.put("memberId", member));
                CommitNote note = notes.get(new TopicPartition(topic, p.partition()));
                if (note != null) {
                    row.put("lastCommit", note.at().toString()).put("committedBy", note.instance()).put("paused", note.paused());
                }
            }
        }
        return group;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
