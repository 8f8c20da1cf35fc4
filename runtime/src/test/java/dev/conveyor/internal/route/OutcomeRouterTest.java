package dev.conveyor.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.RecordOutcome;
import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class OutcomeRouterTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final RetrySettings TIERS = new RetrySettings(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)), 3, 0.0);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OutcomeRouter tasks = new OutcomeRouter(RetryTiers.forTasks(TIERS), meters, Clock.fixed(NOW, ZoneOffset.UTC));
    final OutcomeRouter results = new OutcomeRouter(RetryTiers.forResults(TIERS), meters, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void givenAResultThenOneRecordOnTasksResultsKeyedByTheTaskKeyCarryingTheTraceButNotTheTypeOrTheClaim() {
        // given a first attempt that carries a type, a trace context and an idempotency claim
        Headers headers = new RecordHeaders();
        TaskHeaders.putType(headers, "email.send");
        headers.add(TaskHeaders.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        headers.add(IdempotencyClaims.CLAIM_HEADER, "0/7".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, ?> input = record("tasks", 2, 40, task(1), headers);

        // when it succeeds
        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input, RecordOutcome.result(result(task(1))));

        // then
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tasks.results");
            assertThat(r.key()).isEqualTo("user-1");
            assertThat(r.headers().lastHeader(TaskHeaders.TYPE)).as("results are ordered by the notifier's default mode").isNull();
            assertThat(text(r.headers(), TaskHeaders.TRACEPARENT)).startsWith("00-4bf92f");
            assertThat(r.headers().lastHeader(IdempotencyClaims.CLAIM_HEADER)).isNull();
        });
    }

    @Test
    void givenAFirstFailedAttemptThenItWaitsInTheFirstTierAsTheNextAttemptNamingItsOwnPosition() {
        Headers headers = new RecordHeaders();
        TaskHeaders.putType(headers, "echo");
        headers.add(IdempotencyClaims.CLAIM_HEADER, "0/7".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, ?> input = record("tasks", 2, 40, task(1), headers);
        TaskRequest next = TaskRequest.newBuilder(task(1)).setAttempt(2).build();

        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input, failure(1, next));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tasks.retry.1s");
            assertThat(r.value()).isEqualTo(next);
            assertThat(text(r.headers(), RetryHeaders.DUE)).isEqualTo(NOW.plusSeconds(1).toString());
            assertThat(text(r.headers(), RetryHeaders.ATTEMPT)).isEqualTo("2");
            assertThat(text(r.headers(), RetryHeaders.ORIGINAL_TOPIC)).isEqualTo("tasks");
            assertThat(text(r.headers(), RetryHeaders.ORIGINAL_PARTITION)).isEqualTo("2");
            assertThat(text(r.headers(), RetryHeaders.ORIGINAL_OFFSET)).isEqualTo("40");
            assertThat(text(r.headers(), RetryHeaders.ERROR_CLASS)).isEqualTo("java.lang.IllegalStateException");
            assertThat(text(r.headers(), TaskHeaders.TYPE)).isEqualTo("echo");
            assertThat(r.headers().lastHeader(IdempotencyClaims.CLAIM_HEADER)).isNull();
        });
    }

    @Test
    void givenAnExhaustedAttemptAfterTierHopsThenTheDeadLetterNamesTheOriginalPositionAndComesBeforeTheResult() {
        // given attempt 3 of 3, read from a tier, that first failed at tasks-2@40
        ConsumerRecord<String, ?> first = record("tasks", 2, 40, task(1), new RecordHeaders());
        ProducerRecord<String, SpecificRecord> hop1 = tasks.route(first, failure(1, task(2))).get(0);
        ProducerRecord<String, SpecificRecord> hop2 = tasks.route(record(hop1.topic(), 0, 5, task(2), hop1.headers()), failure(2, task(3))).get(0);
        ConsumerRecord<String, ?> last = record(hop2.topic(), 1, 9, task(3), hop2.headers());

        // when it fails again
        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(last, failure(3, task(4)));

        // then a dead letter naming tasks-2@40 with three failures, then the FAILED result
        assertThat(out).hasSize(2);
        DeadLetter letter = (DeadLetter) out.get(0).value();
        assertThat(out.get(0).topic()).isEqualTo("tasks.dlq");
        assertThat(letter.getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(List.of(letter.getOriginalTopic(), letter.getOriginalPartition(), letter.getOriginalOffset()))
                .containsExactly("tasks", 2, 40L);
        assertThat(letter.getHistory()).extracting(f -> f.getAttempt()).containsExactly(1, 2, 3);
        assertThat(letter.getRequest().getAttempt()).isEqualTo(1);
        assertThat(text(out.get(0).headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("40");
        assertThat(text(out.get(0).headers(), DeadLetterHeaders.TASK_TYPE)).isEqualTo("echo");
        TaskResult failed = (TaskResult) out.get(1).value();
        assertThat(out.get(1).topic()).isEqualTo("tasks.results");
        assertThat(failed.getReason()).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(failed.getError()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void givenAReplayedTaskThenItsDeadLetterNamesTheReplayedRecordAndOnlyItsOwnFailures() {
        // given a task the dead-letter tool sent back to tasks: a fresh record without retry headers
        TaskRequest replayed = TaskRequest.newBuilder(task(1)).setHeaders(Map.of("conveyor.replayed.from", "tasks.dlq/0/3")).build();
        ConsumerRecord<String, ?> input = record("tasks", 1, 77, replayed, new RecordHeaders());

        // when no handler takes its type
        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input,
                new RecordOutcome.GiveUp(DeadLetterReason.UNKNOWN_TYPE, "no handler", null, null));

        // then the letter names the replay's own position, keeps the link, and holds one failure
        DeadLetter letter = (DeadLetter) out.get(0).value();
        assertThat(out).hasSize(1);
        assertThat(List.of(letter.getOriginalTopic(), letter.getOriginalPartition(), letter.getOriginalOffset()))
                .containsExactly("tasks", 1, 77L);
        assertThat(letter.getRequest().getHeaders()).containsEntry("conveyor.replayed.from", "tasks.dlq/0/3");
        assertThat(letter.getHistory()).singleElement().satisfies(f -> assertThat(f.getError()).isEqualTo("no handler"));
    }

    @Test
    void givenADeliveryFailureThenTheRetryIsForItsChannelOnlyAndARefusalIsDeadLetteredWithTheChannelNamed() {
        TaskResult result = result(task(1));
        ConsumerRecord<String, ?> input = record("tasks.results", 0, 12, result, new RecordHeaders());

        List<ProducerRecord<String, SpecificRecord>> out = results.route(input, RecordOutcome.all(List.of(
                new RecordOutcome.Failure(new java.io.IOException("503"), 1, 3, result, DeadLetterReason.DELIVERY_FAILED, null, "webhook"),
                new RecordOutcome.GiveUp(DeadLetterReason.DELIVERY_REFUSED, "HTTP 410", null, "mail"))));

        assertThat(out).hasSize(2);
        assertThat(out.get(0).topic()).isEqualTo("tasks.results.retry.1s");
        assertThat(text(out.get(0).headers(), RetryHeaders.CHANNEL)).isEqualTo("webhook");
        assertThat(text(out.get(0).headers(), RetryHeaders.ATTEMPT)).isEqualTo("2");
        DeadLetter refused = (DeadLetter) out.get(1).value();
        assertThat(refused.getError()).isEqualTo("mail: HTTP 410");
        assertThat(refused.getRequest()).isNull();
        assertThat(refused.getOriginalTopic()).isEqualTo("tasks.results");
    }

    @Test
    void givenADelayedTaskThenItHopsToTheLongestTierWithinItsWaitKeepingItsType() {
        TaskRequest later = TaskRequest.newBuilder(task(1)).setRunAt(NOW.plusSeconds(60)).build();
        Headers headers = new RecordHeaders();
        TaskHeaders.putType(headers, "echo");

        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(record("tasks", 0, 1, later, headers), RecordOutcome.delay(later));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tasks.retry.5s");
            assertThat(text(r.headers(), RetryHeaders.DUE)).isEqualTo(NOW.plusSeconds(5).toString());
            assertThat(text(r.headers(), TaskHeaders.TYPE)).isEqualTo("echo");
        });
    }

    @Test
    void givenAnUndecodableRecordThenItsBytesAreKeptAndItIsCountedOnceWritten() {
        ConsumerRecord<String, byte[]> raw = new ConsumerRecord<>("tasks", 0, 3, "k", new byte[] {1, 2, 3});
        List<ProducerRecord<String, SpecificRecord>> written = new ArrayList<>();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();

        results.writeUndecodable(raw, DeadLetterReason.UNDECODABLE, new IllegalArgumentException("garbage"), record -> {
            written.add(record);
            return acknowledged;
        });

        DeadLetter letter = (DeadLetter) written.get(0).value();
        assertThat(letter.getReason()).isEqualTo("UNDECODABLE");
        assertThat(letter.getOriginalValue().array()).containsExactly(1, 2, 3);
        assertThat(counted()).isZero();
        acknowledged.complete(null);
        assertThat(counted()).isEqualTo(1.0);
    }

    @Test
    void givenADeadLetterThatFailsThenNoTerminalResultIsWritten() {
        ConsumerRecord<String, ?> input = record("tasks", 0, 1, task(1), new RecordHeaders());
        List<String> sent = new ArrayList<>();

        tasks.write(input, new RecordOutcome.GiveUp(DeadLetterReason.NON_RETRYABLE, "no", (reason, error) -> result(task(1)), null), record -> {
            sent.add(record.topic());
            return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        });

        assertThat(sent).containsExactly("tasks.dlq");
    }

    @Test
    void givenSeveralDeliveriesThenTheirRecordsAreHandedOverTogetherAndADeferredOneWhenKnown() {
        ConsumerRecord<String, ?> input = record("tasks.results", 0, 12, result(task(1)), new RecordHeaders());
        List<String> sent = new ArrayList<>();
        CompletableFuture<RecordOutcome> later = new CompletableFuture<>();
        CompletableFuture<Void> unacknowledged = new CompletableFuture<>();

        CompletableFuture<?> written = results.write(input, RecordOutcome.all(List.of(
                new RecordOutcome.Failure(new java.io.IOException("503"), 1, 3, result(task(1)), DeadLetterReason.DELIVERY_FAILED, null, "a"),
                new RecordOutcome.Failure(new java.io.IOException("503"), 1, 3, result(task(1)), DeadLetterReason.DELIVERY_FAILED, null, "b"),
                RecordOutcome.deferred(later))), record -> {
                    sent.add(RetryHeaders.channel(record.headers()));
                    return unacknowledged;
                }).toCompletableFuture();

        assertThat(sent).as("both sent before either is acknowledged").containsExactly("a", "b");
        later.complete(new RecordOutcome.GiveUp(DeadLetterReason.DELIVERY_REFUSED, "410", null, "c"));
        assertThat(sent).hasSize(3);
        assertThat(written).isNotDone();
        unacknowledged.complete(null);
        assertThat(written).isCompleted();
    }

    @Test
    void givenAnAttemptNumberBelowOneThenItIsRoutedAsTheFirstAttempt() {
        ConsumerRecord<String, ?> input = record("tasks", 0, 1, task(0), new RecordHeaders());

        List<ProducerRecord<String, SpecificRecord>> out = tasks.route(input, failure(0, task(1)));

        assertThat(out).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo("tasks.retry.1s"));
    }

    @Test
    void givenASkipThenNothingIsWritten() {
        assertThat(tasks.route(record("tasks", 0, 1, task(1), new RecordHeaders()), RecordOutcome.skip())).isEmpty();
    }

    private double counted() {
        return Optional.ofNullable(meters.find(dev.conveyor.metrics.MetricNames.RECORDS_DEAD_LETTERED).counter()).map(c -> c.count()).orElse(0.0);
    }

    private static RecordOutcome.Failure failure(int attempt, TaskRequest next) {
        return new RecordOutcome.Failure(new IllegalStateException("boom"), attempt, 3, next, DeadLetterReason.RETRIES_EXHAUSTED,
                (reason, error) -> TaskResult.newBuilder(result(task(attempt))).setStatus(TaskStatus.FAILED).setReason(reason.name())
                        .setError(error).build(), null);
    }

    static <V> ConsumerRecord<String, V> record(String topic, int partition, long offset, V value, Headers headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, 0, 0, "user-1", value, headers, Optional.empty());
    }

    static TaskRequest task(int attempt) {
        return TaskRequest.newBuilder().setId("t-1").setType("echo").setKey("user-1").setPayload("{}").setSubmittedAt(NOW)
                .setAttempt(attempt).setMaxAttempts(3).setCallbackUrl(null).setHeaders(Map.of()).build();
    }

    static TaskResult result(TaskRequest task) {
        return TaskResult.newBuilder().setTaskId(task.getId()).setType(task.getType()).setKey(task.getKey()).setStatus(TaskStatus.SUCCEEDED)
                .setAttempts(task.getAttempt()).setOutput(null).setError(null).setReason(null).setSubmittedAt(NOW).setStartedAt(NOW)
                .setCompletedAt(NOW).setCallbackUrl(null).setHeaders(Map.of()).build();
    }

    private static String text(Headers headers, String name) {
        return RetryHeaders.text(headers, name);
    }
}
