package dev.conveyor.producer.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.StatusDelivery;
import dev.conveyor.schema.StatusTimelineEntry;
import dev.conveyor.schema.TaskStatusView;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status documents clients read: {@code GET /tasks/{id}} and {@code GET /tasks/{id}/events}.
 * Times are ISO-8601 instants; unknown ones are null in the status and left out of timeline entries.
 */
final class StatusJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    static String status(TaskStatusView status) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("id", status.getTaskId());
        doc.put("type", status.getType());
        doc.put("key", status.getKey());
        doc.put("submitter", status.getSubmitter());
        doc.put("state", status.getState());
        doc.put("terminal", TaskState.terminal(status.getState()));
        doc.put("attempts", status.getAttempts());
        doc.put("run", status.getRun());
        time(doc, "queuedAt", status.getQueuedAt());
        time(doc, "runAt", status.getRunAt());
        time(doc, "startedAt", status.getStartedAt());
        time(doc, "lastStartedAt", status.getLastStartedAt());
        time(doc, "nextAttemptAt", status.getNextAttemptAt());
        time(doc, "finishedAt", status.getFinishedAt());
        time(doc, "updatedAt", status.getUpdatedAt());
        doc.put("lastError", status.getLastError());
        doc.put("reason", status.getReason());
        doc.put("instance", status.getInstance());
        if (status.getResultSummary() != null) {
            doc.putObject("result")
                    .put("status", status.getResultSummary().getStatus())
                    .put("output", status.getResultSummary().getOutput())
                    .put("outputTruncated", status.getResultSummary().getOutputTruncated());
        }
        if (status.getDeadLetter() != null) {
            ObjectNode letter = doc.putObject("deadLetter").put("topic", Topics.DEAD_LETTERS.name());
            letter.put("partition", status.getDeadLetter().getPartition());
            letter.put("offset", status.getDeadLetter().getOffset());
        }
        ObjectNode deliveries = doc.putObject("deliveries");
        for (Map.Entry<String, StatusDelivery> channel : new TreeMap<>(status.getDeliveries()).entrySet()) {
            ObjectNode delivery = deliveries.putObject(channel.getKey())
                    .put("state", channel.getValue().getState())
                    .put("attempts", channel.getValue().getAttempt());
            time(delivery, "at", channel.getValue().getAt());
            delivery.put("error", channel.getValue().getError());
        }
        timeline(doc, status);
        return write(doc);
    }

    static String events(TaskStatusView status) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("id", status.getTaskId());
        timeline(doc, status);
        return write(doc);
    }

    private static void timeline(ObjectNode doc, TaskStatusView status) {
        var timeline = doc.putArray("timeline");
        for (StatusTimelineEntry event : status.getTimeline()) {
            ObjectNode entry = timeline.addObject().put("kind", event.getKind()).put("run", event.getRun()).put("attempt", event.getAttempt());
            time(entry, "at", event.getAt());
            optional(entry, "instance", event.getInstance());
            optional(entry, "error", event.getError());
            optional(entry, "reason", event.getReason());
            if (event.getDueAt() != null) {
                time(entry, "dueAt", event.getDueAt());
            }
            optional(entry, "tier", event.getTier());
            optional(entry, "channel", event.getChannel());
            optional(entry, "detail", event.getDetail());
        }
    }

    private static void time(ObjectNode node, String field, Instant at) {
        node.put(field, at == null ? null : at.toString());
    }

    private static void optional(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static String write(ObjectNode doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always renders", e);
        }
    }
}
