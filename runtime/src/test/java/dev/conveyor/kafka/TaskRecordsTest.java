package dev.conveyor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRecordsTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void givenATaskAsConveyorWritesItThenItIsValid() {
        assertThat(TaskRecords.problemWith(task().build(), NOW)).isNull();
        assertThat(TaskRecords.problemWith(task().setRunAt(NOW.plusSeconds(3600)).setTimeoutMs(30_000L).build(), NOW)).isNull();
    }

    @Test
    void givenAnAllZeroBodyDecodedThenTheTaskIsInvalidForItsEmptyId() {
        // what Avro makes of zeros: empty strings, zero numbers, the epoch
        TaskRequest zeros = TaskRequest.newBuilder().setId("").setType("").setKey("").setPayload("").setSubmittedAt(Instant.EPOCH)
                .setAttempt(0).setMaxAttempts(0).setHeaders(Map.of()).build();

        assertThat(TaskRecords.problemWith(zeros, NOW)).startsWith("task id must be 1 to 128 characters");
    }

    @Test
    void givenEachBrokenFieldThenTheProblemNamesIt() {
        assertThat(TaskRecords.problemWith(task().setType("Not A Type").build(), NOW)).contains("type 'Not A Type'");
        assertThat(TaskRecords.problemWith(task().setKey("").build(), NOW)).startsWith("key");
        assertThat(TaskRecords.problemWith(task().setAttempt(0).build(), NOW)).contains("attempt 0");
        assertThat(TaskRecords.problemWith(task().setMaxAttempts(-1).build(), NOW)).contains("maxAttempts -1");
        assertThat(TaskRecords.problemWith(task().setTimeoutMs(0L).build(), NOW)).contains("timeoutMs 0");
        assertThat(TaskRecords.problemWith(task().setSubmittedAt(Instant.EPOCH).build(), NOW)).contains("submittedAt 1970");
        assertThat(TaskRecords.problemWith(task().setSubmittedAt(NOW.plusSeconds(3 * 86_400)).build(), NOW)).contains("submittedAt");
        assertThat(TaskRecords.problemWith(task().setRunAt(NOW.plusSeconds(40L * 86_400)).build(), NOW)).contains("runAt");
    }

    @Test
    void givenResultsThenOnlyThoseOfARealTaskAreValid() {
        TaskResult.Builder result = TaskResult.newBuilder().setTaskId("t-1").setType("echo").setKey("k").setStatus(TaskStatus.SUCCEEDED)
                .setAttempts(1).setSubmittedAt(NOW).setStartedAt(NOW).setCompletedAt(NOW).setHeaders(Map.of());

        assertThat(TaskRecords.problemWith(result.build(), NOW)).isNull();
        assertThat(TaskRecords.problemWith(TaskResult.newBuilder(result.build()).setTaskId("").build(), NOW)).startsWith("taskId");
        assertThat(TaskRecords.problemWith(TaskResult.newBuilder(result.build()).setCompletedAt(Instant.EPOCH).build(), NOW))
                .contains("completedAt");
    }

    @Test
    void givenTaskTypesThenTheLoopAgreesWithThePattern() {
        for (String type : new String[] {"echo", "email.send", "a-b_c.d9", "", ".x", "x.", "a..b", "A", "é", "x y"}) {
            assertThat(TaskRecords.isTaskType(type)).as(type).isEqualTo(TaskRecords.TYPE_PATTERN.matcher(type).matches());
        }
    }

    private static TaskRequest.Builder task() {
        return TaskRequest.newBuilder().setId("0190a3b4-0000-7000-8000-000000000001").setType("email.send").setKey("user-42")
                .setPayload("{}").setSubmittedAt(NOW.minusSeconds(5)).setAttempt(1).setMaxAttempts(0).setCallbackUrl(null)
                .setHeaders(Map.of());
    }
}
