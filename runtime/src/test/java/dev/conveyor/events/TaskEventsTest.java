package dev.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TaskEventsTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    final TaskEvents events = new TaskEvents(EventSettings.defaults(), "gw-1", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void givenADelayedSubmissionThenQueuedCarriesItsRunTimeAsAttemptZero() {
        TaskRequest task = task().setRunAt(NOW.plusSeconds(60)).build();

        TaskEvent queued = (TaskEvent) events.queued(task, new RecordHeaders()).value();

        assertThat(queued.getKind()).isEqualTo(TaskEventKind.QUEUED);
        assertThat(queued.getAttempt()).isZero();
        assertThat(queued.getDueAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(queued.getRun()).isZero();
        assertThat(events.queued(task, new RecordHeaders()).key()).isEqualTo("t-1");
    }

    @Test
    void givenAnOutputLargerThanTheCapThenTheEventCarriesAPrefixEndingOnAWholeCharacter() {
        // given an output of 3-byte characters whose cap falls inside a character
        String output = "\"" + "€".repeat(3_000) + "\"";
        TaskResult result = TaskResult.newBuilder().setTaskId("t-1").setType("echo").setKey("k").setStatus(TaskStatus.SUCCEEDED)
                .setAttempts(1).setOutput(output).setSubmittedAt(NOW).setStartedAt(NOW).setCompletedAt(NOW).setHeaders(Map.of()).build();

        // when
        TaskEvent event = (TaskEvent) events.terminal(result, new RecordHeaders()).value();

        // then
        byte[] cut = event.getOutput().getBytes(StandardCharsets.UTF_8);
        assertThat(event.getOutputTruncated()).isTrue();
        assertThat(cut.length).isLessThanOrEqualTo(TaskEvents.MAX_OUTPUT_BYTES).isGreaterThan(TaskEvents.MAX_OUTPUT_BYTES - 3);
        assertThat(output).startsWith(event.getOutput());
    }

    @Test
    void givenATaskSubmittedWithAnApiKeyThenEveryEventNamesItsSubmitter() {
        TaskRequest task = task().setHeaders(Map.of(TaskEvents.SUBMITTER, "billing")).build();

        assertThat(((TaskEvent) events.queued(task, new RecordHeaders()).value()).getSubmitter()).isEqualTo("billing");
        assertThat(((TaskEvent) events.started(task, new RecordHeaders()).value()).getSubmitter()).isEqualTo("billing");
        assertThat(((TaskEvent) events.queued(task().build(), new RecordHeaders()).value()).getSubmitter()).isNull();
    }

    @Test
    void givenATracedTaskThenEveryEventCarriesItsTraceparentAndAnUntracedOneNone() {
        // given a task record in a trace
        RecordHeaders traced = new RecordHeaders();
        traced.add(TaskHeaders.TRACEPARENT, TRACE.getBytes(StandardCharsets.UTF_8));
        TaskRequest task = task().build();

        // when its events are built
        ProducerRecord<String, SpecificRecord> queued = events.queued(task, traced);
        ProducerRecord<String, SpecificRecord> started = events.started(task, traced);
        ProducerRecord<String, SpecificRecord> untraced = events.started(task, new RecordHeaders());

        // then each carries the trace context, unchanged
        assertThat(new String(queued.headers().lastHeader(TaskHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8)).isEqualTo(TRACE);
        assertThat(new String(started.headers().lastHeader(TaskHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8)).isEqualTo(TRACE);
        assertThat(untraced.headers().lastHeader(TaskHeaders.TRACEPARENT)).isNull();
    }

    @Test
    void givenStartedEventsOffThenOnlyStartedIsNotBuilt() {
        TaskEvents noStarted = new TaskEvents(new EventSettings(true, false), "p", Clock.systemUTC());

        assertThat(noStarted.started(task().build(), new RecordHeaders())).isNull();
        assertThat(noStarted.queued(task().build(), new RecordHeaders())).isNotNull();
        assertThat(TaskEvents.off().queued(task().build(), new RecordHeaders())).isNull();
        assertThat(new EventSettings(false, true).started()).as("no STARTED without events").isFalse();
    }

    private static TaskRequest.Builder task() {
        return TaskRequest.newBuilder().setId("t-1").setType("echo").setKey("k").setPayload("{}").setSubmittedAt(NOW).setAttempt(1)
                .setHeaders(Map.of());
    }
}
