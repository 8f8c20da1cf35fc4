package dev.conveyor.producer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Where one task stands, as the status view ({@code GET /tasks/{id}}) reports it to the Java client.
 *
 * @param state    QUEUED, RUNNING, RETRYING, SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED or DUPLICATE
 * @param document the whole status document, for what this record does not name (timeline, deliveries)
 */
public record TaskStatusReport(String id, String type, String key, String state, int attempts, String lastError, String reason,
                               Instant queuedAt, Instant startedAt, Instant finishedAt, String output, boolean outputTruncated,
                               JsonNode document) {

    /** The states a task's result is written in: waiting for a result ends there. */
    static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    static TaskStatusReport parse(JsonNode json) {
        JsonNode result = json.path("result");
        return new TaskStatusReport(text(json, "id"), text(json, "type"), text(json, "key"), text(json, "state"),
                json.path("attempts").asInt(0), text(json, "lastError"), text(json, "reason"), instant(json, "queuedAt"),
                instant(json, "startedAt"), instant(json, "finishedAt"), text(result, "output"),
                result.path("outputTruncated").asBoolean(false), json);
    }

    /** Whether the task has its result (succeeded, failed or cancelled). */
    public boolean finished() {
        return FINISHED.contains(state);
    }

    /** The id of the API key the task was submitted with; null when it was submitted without one. */
    public String submitter() {
        return text(document, "submitter");
    }

    /** Whether it was a later copy of an idempotency key that did not run. */
    public boolean duplicate() {
        return "DUPLICATE".equals(state);
    }

    /**
     * The task's result as the view knows it: status, attempts, error, reason, times, and the output, cut
     * to 8 KiB if it was longer ({@link #outputTruncated()}; {@code tasks.results} holds it whole). The
     * callback URL and headers are not in the view and come back empty.
     */
    public TaskResult toResult() {
        if (!finished()) {
            throw new IllegalStateException("task " + id + " is " + state + ", not finished");
        }
        Instant finished = finishedAt != null ? finishedAt : Instant.EPOCH;
        Instant started = startedAt != null ? startedAt : finished;
        return TaskResult.newBuilder().setTaskId(id).setType(type).setKey(key == null ? id : key).setStatus(TaskStatus.valueOf(state))
                .setAttempts(attempts).setOutput(output).setError(lastError).setReason(reason)
                .setSubmittedAt(queuedAt != null ? queuedAt : started).setStartedAt(started).setCompletedAt(finished)
                .setCallbackUrl(null).setHeaders(Map.of()).build();
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    }

    private static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        return text == null ? null : Instant.parse(text);
    }
}
