package dev.conveyor.kafka;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What makes a decoded task or result one that Conveyor wrote: Avro accepts any bytes that fit the
 * schema (an all-zero body decodes to empty strings and 1970 timestamps), so a record can decode and
 * still be no task at all. Such a record is dead-lettered as {@code INVALID_RECORD}, never run.
 */
public final class TaskRecords {

    /** The language of task types; {@link #isTaskType} decides it without a regex engine. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");
    public static final int MAX_TYPE_LENGTH = 128;
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_KEY_LENGTH = 256;
    /** Earlier than any Conveyor record: a timestamp before it is a decoded zero or garbage. */
    static final Instant EARLIEST = Instant.parse("2020-01-01T00:00:00Z");
    /** How far a submission time may lie ahead of the reader's clock (clock skew between hosts). */
    static final Duration CLOCK_SKEW = Duration.ofDays(1);
    /** How far a run time may lie after its submission (the gateway allows 30 days). */
    static final Duration LONGEST_DELAY = Duration.ofDays(31);

    private TaskRecords() {
    }

    /**
     * Whether {@code type} is in {@link #TYPE_PATTERN}'s language: runs of lower-case letters and digits
     * joined by single separators. A loop, not a regex matcher: every submission pays for this check.
     */
    public static boolean isTaskType(String type) {
        boolean atRunStart = true;
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                atRunStart = false;
            } else if ((c == '.' || c == '_' || c == '-') && !atRunStart) {
                atRunStart = true;
            } else {
                return false;
            }
        }
        return !atRunStart;
    }

    /** Why {@code task} cannot be a task, or null when it can. */
    public static String problemWith(TaskRequest task, Instant now) {
        String common = identity("task id", task.getId(), task.getType());
        if (common != null) {
            return common;
        }
        if (task.getKey() == null || task.getKey().isEmpty() || task.getKey().length() > MAX_KEY_LENGTH) {
            return "key must be 1 to " + MAX_KEY_LENGTH + " characters";
        }
        if (task.getPayload() == null) {
            return "no payload";
        }
        if (task.getAttempt() < 1) {
            return "attempt " + task.getAttempt() + " is not 1-based";
        }
        if (task.getMaxAttempts() < 0) {
            return "maxAttempts " + task.getMaxAttempts() + " is negative";
        }
        if (task.getTimeoutMs() != null && task.getTimeoutMs() <= 0) {
            return "timeoutMs " + task.getTimeoutMs() + " is not positive";
        }
        String submitted = time("submittedAt", task.getSubmittedAt(), now);
        if (submitted != null) {
            return submitted;
        }
        if (task.getRunAt() != null && task.getRunAt().isAfter(task.getSubmittedAt().plus(LONGEST_DELAY))) {
            return "runAt " + task.getRunAt() + " is more than " + LONGEST_DELAY.toDays() + " days after submittedAt";
        }
        return null;
    }

    /** Why {@code result} cannot be a task's result, or null when it can. */
    public static String problemWith(TaskResult result, Instant now) {
        String common = identity("taskId", result.getTaskId(), result.getType());
        if (common != null) {
            return common;
        }
        if (result.getAttempts() < 0) {
            return "attempts " + result.getAttempts() + " is negative";
        }
        String submitted = time("submittedAt", result.getSubmittedAt(), now);
        return submitted != null ? submitted : time("completedAt", result.getCompletedAt(), now);
    }

    private static String identity(String idName, String id, String type) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            return idName + " must be 1 to " + MAX_ID_LENGTH + " characters, was '" + (id == null ? "" : abbreviate(id)) + "'";
        }
        if (type == null || type.length() > MAX_TYPE_LENGTH || !isTaskType(type)) {
            return "type '" + (type == null ? "" : abbreviate(type)) + "' is not a task type";
        }
        return null;
    }

    private static String time(String name, Instant at, Instant now) {
        if (at == null || at.isBefore(EARLIEST) || at.isAfter(now.plus(CLOCK_SKEW))) {
            return name + " " + at + " is not a possible time";
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
