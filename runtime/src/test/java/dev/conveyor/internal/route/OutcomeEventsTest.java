package dev.conveyor.internal.route;

import static dev.conveyor.internal.route.OutcomeRouterTest.NOW;
import static dev.conveyor.internal.route.OutcomeRouterTest.TIERS;
import static dev.conveyor.internal.route.OutcomeRouterTest.record;
import static dev.conveyor.internal.route.OutcomeRouterTest.result;
import static dev.conveyor.internal.route.OutcomeRouterTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.RecordOutcome;
import dev.conveyor.events.EventSettings;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The lifecycle events the router writes with each outcome, for the status view. */
class OutcomeEventsTest {

    final TaskEvents events = new TaskEvents(EventSettings.defaults(), "proc-1", Clock.fixed(NOW, ZoneOffset.UTC));
    final OutcomeRouter tasks = new OutcomeRouter(RetryTiers.forTasks(TIERS), new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC), events);
    final OutcomeRouter results = new OutcomeRouter(RetryTiers.forResults(TIERS), new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC), events);

    @Test
    void givenASuccessThenTheResultIsFollowedByASucceededEventKeyedByTaskIdWithTheOutput() {
        // given
        ConsumerRecord<String, ?> input = record("tasks", 0, 3, task(2), new RecordHeaders());
        TaskResult succeeded = TaskResult.newBuilder(result(task(2))).setOutput("{\"ok\":true}").build();

        // when
        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input, RecordOutcome.result(succeeded));

        // then
        assertThat(out).extracting(ProducerRecord::topic).containsExactly("tasks.results", "tasks.events");
        TaskEvent event = (TaskEvent) out.get(1).value();
        assertThat(out.get(1).key()).as("keyed by task id, not by the ordering key").isEqualTo("t-1");
        assertThat(event.getKind()).isEqualTo(TaskEventKind.SUCCEEDED);
        assertThat(event.getAttempt()).isEqualTo(2);
        assertThat(event.getOutput()).isEqualTo("{\"ok\":true}");
        assertThat(event.getInstance()).isEqualTo("proc-1");
    }

    @Test
    void givenAFailedAttemptThenARetryScheduledEventNamesTheAttemptTheDueTimeAndTheTier() {
        ConsumerRecord<String, ?> input = record("tasks", 0, 3, task(1), new RecordHeaders());

        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input, failure(1));

        assertThat(out).extracting(ProducerRecord::topic).containsExactly("tasks.retry.1s", "tasks.events");
        TaskEvent event = (TaskEvent) out.get(1).value();
        assertThat(event.getKind()).isEqualTo(TaskEventKind.RETRY_SCHEDULED);
        assertThat(event.getAttempt()).isEqualTo(1);
        assertThat(event.getDueAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(event.getTier()).isEqualTo("tasks.retry.1s");
        assertThat(event.getError()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void givenTheLastAttemptFailsThenDeadLetteredFollowsTheLetterWithItsPositionThenTheResultAndFailed() throws Exception {
        // given attempt 3 of 3 of a replayed run
        RecordHeaders headers = new RecordHeaders();
        headers.add(TaskHeaders.RUN, "1750000000000".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, ?> input = record("tasks.retry.5s", 0, 3, task(3), headers);
        List<ProducerRecord<String, SpecificRecord>> sent = new ArrayList<>();

        // when it is written by an outbox that reports the letter at tasks.dlq-1@77
        CompletableFuture<?> written = tasks.write(input, failure(3), record -> {
            sent.add(record);
            return CompletableFuture.completedFuture(new RecordMetadata(new TopicPartition(record.topic(), 1), 77, 0, 0L, 0, 0));
        }).toCompletableFuture();

        // then
        assertThat(written).isCompleted();
        assertThat(sent).extracting(ProducerRecord::topic)
                .containsExactlyInAnyOrder("tasks.dlq", "tasks.events", "tasks.results", "tasks.events");
        assertThat(sent.indexOf(sent.stream().filter(r -> kind(r) == TaskEventKind.DEAD_LETTERED).findFirst().orElseThrow()))
                .as("after its letter").isGreaterThan(indexOfTopic(sent, "tasks.dlq"));
        TaskEvent deadLettered = sent.stream().filter(r -> kind(r) == TaskEventKind.DEAD_LETTERED).map(r -> (TaskEvent) r.value())
                .findFirst().orElseThrow();
        assertThat(deadLettered.getDeadLetterPartition()).isEqualTo(1);
        assertThat(deadLettered.getDeadLetterOffset()).isEqualTo(77L);
        assertThat(deadLettered.getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(deadLettered.getRun()).isEqualTo(1750000000000L);
        TaskEvent failed = sent.stream().filter(r -> kind(r) == TaskEventKind.FAILED).map(r -> (TaskEvent) r.value()).findFirst().orElseThrow();
        assertThat(failed.getAttempt()).isEqualTo(3);
        assertThat(failed.getRun()).isEqualTo(1750000000000L);
        assertThat(sent.get(indexOfTopic(sent, "tasks.results")).headers().lastHeader(TaskHeaders.RUN))
                .as("the result carries the run to the notifier's events").isNotNull();
    }

    @Test
    void givenADuplicateThenOnlyItsEventIsWritten() {
        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(record("tasks", 0, 3, task(1), new RecordHeaders()),
                RecordOutcome.duplicate());

        assertThat(out).singleElement().satisfies(r -> assertThat(kind(r)).isEqualTo(TaskEventKind.DUPLICATE_SKIPPED));
    }

    @Test
    void givenDeliveriesThenEachChannelHasItsOwnEventWithTheDeliveryAttempt() {
        // given the second delivery attempt of a result
        RecordHeaders headers = new RecordHeaders();
        headers.add(RetryHeaders.ATTEMPT, "2".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, ?> input = record("tasks.results.retry.1s", 0, 3, result(task(1)), headers);

        // when the log channel delivered, the webhook failed again and a third channel refused it
        List<ProducerRecord<String, SpecificRecord>> out = results.route(input, RecordOutcome.all(List.of(
                RecordOutcome.delivered("log"),
                new RecordOutcome.Failure(new java.io.IOException("503"), 2, 3, result(task(1)), DeadLetterReason.DELIVERY_FAILED, null, "webhook"),
                new RecordOutcome.GiveUp(DeadLetterReason.DELIVERY_REFUSED, "410 Gone", null, "stream"))));

        // then
        List<TaskEvent> written = out.stream().filter(r -> r.value() instanceof TaskEvent).map(r -> (TaskEvent) r.value()).toList();
        assertThat(written).extracting(TaskEvent::getKind, TaskEvent::getChannel, TaskEvent::getAttempt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TaskEventKind.DELIVERED, "log", 2),
                org.assertj.core.groups.Tuple.tuple(TaskEventKind.DELIVERY_RETRY_SCHEDULED, "webhook", 2),
                org.assertj.core.groups.Tuple.tuple(TaskEventKind.DELIVERY_FAILED, "stream", 2));
        assertThat(written.get(2).getReason()).isEqualTo("DELIVERY_REFUSED");
    }

    @Test
    void givenEventsOffThenOnlyTheOutputsAreWritten() {
        OutcomeRouter quiet = new OutcomeRouter(RetryTiers.forTasks(TIERS), new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC),
                TaskEvents.off());

        assertThat(quiet.route(record("tasks", 0, 3, task(1), new RecordHeaders()), RecordOutcome.result(result(task(1)))))
                .extracting(ProducerRecord::topic).containsExactly("tasks.results");
        assertThat(quiet.route(record("tasks", 0, 3, task(1), new RecordHeaders()), RecordOutcome.duplicate())).isEmpty();
    }

    private static RecordOutcome.Failure failure(int attempt) {
        TaskRequest next = TaskRequest.newBuilder(task(attempt)).setAttempt(attempt + 1).build();
        return new RecordOutcome.Failure(new IllegalStateException("boom"), attempt, 3, next, DeadLetterReason.RETRIES_EXHAUSTED,
                (reason, error) -> TaskResult.newBuilder(result(task(attempt))).setStatus(TaskStatus.FAILED).setReason(reason.name())
                        .setError(error).build(), null);
    }

    private static TaskEventKind kind(ProducerRecord<String, SpecificRecord> record) {
        return record.value() instanceof TaskEvent event ? event.getKind() : null;
    }

    private static int indexOfTopic(List<ProducerRecord<String, SpecificRecord>> records, String topic) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).topic().equals(topic)) {
                return i;
            }
        }
        return -1;
    }
}
