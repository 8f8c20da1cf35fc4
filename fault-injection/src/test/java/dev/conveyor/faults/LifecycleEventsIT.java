package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.notifier.NotifierAppConfig;
import dev.conveyor.producer.TaskSubmission;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.stack.JavaApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every app writes the lifecycle events of the tasks it handles to {@code tasks.events}, keyed by task
 * id: the client QUEUED, the processor STARTED and each outcome, the notifier each delivery. Checked per
 * kind of task against the real broker, under both delivery guarantees.
 */
class LifecycleEventsIT {

    @RegisterExtension
    static final Rig rig = new Rig();

    @Test
    void eachTaskKindLeavesItsLifecycleOnTasksEventsUnderAtLeastOnce() {
        checkLifecycles(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void eachTaskKindLeavesItsLifecycleOnTasksEventsUnderExactlyOnce() {
        checkLifecycles(DeliveryGuarantee.EXACTLY_ONCE);
    }

    private void checkLifecycles(DeliveryGuarantee guarantee) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<JavaApp> apps = new ArrayList<>(rig.processors(1, guarantee));
        apps.add(notifier(run, guarantee));
        try (TopicTail<TaskEvent> events = new TopicTail<>(rig.clients, Topics.EVENTS, e -> e.getKey() != null && e.getKey().startsWith(run));
             TopicTail<DeadLetter> letters = new TopicTail<>(rig.clients, Topics.DEAD_LETTERS,
                     l -> l.getRequest() != null && l.getRequest().getKey().startsWith(run))) {
            // given one task of each kind
            String echo = submit(TaskSubmission.of("echo", "{}").withKey(run + "-echo"));
            String flaky = submit(TaskSubmission.of("fail", "{\"failAttempts\":1}").withKey(run + "-flaky"));
            String exhausted = submit(new TaskSubmission("fail", run + "-exhausted", "{}", null, Map.of(), 2, null, null, null));
            String unknown = submit(TaskSubmission.of("no.such.type", "{}").withKey(run + "-unknown"));
            Instant runAt = Instant.now().plusSeconds(2);
            String delayed = submit(TaskSubmission.of("echo", "{}").withKey(run + "-delayed").runningAt(runAt));

            // when they have all run and their results were delivered
            List<String> all = List.of(echo, flaky, exhausted, unknown, delayed);
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(byTask(events.values()))
                    .allSatisfy((id, kinds) -> assertThat(kinds).contains(TaskEventKind.DELIVERED))
                    .containsOnlyKeys(all));

            // then each task's events, in the view's order, tell its story
            Map<String, List<TaskEvent>> byTask = events.values().stream().collect(Collectors.groupingBy(TaskEvent::getTaskId));
            assertThat(story(byTask.get(echo))).containsExactly("QUEUED/0", "STARTED/1", "SUCCEEDED/1", "DELIVERED/1");
            assertThat(story(byTask.get(flaky))).containsExactly("QUEUED/0", "STARTED/1", "RETRY_SCHEDULED/1", "STARTED/2",
                    "SUCCEEDED/2", "DELIVERED/1");
            assertThat(story(byTask.get(exhausted))).containsExactly("QUEUED/0", "STARTED/1", "RETRY_SCHEDULED/1", "STARTED/2",
                    "DEAD_LETTERED/2", "FAILED/2", "DELIVERED/1");
            assertThat(story(byTask.get(unknown))).containsExactly("QUEUED/0", "DEAD_LETTERED/1", "FAILED/1", "DELIVERED/1");
            assertThat(story(byTask.get(delayed))).containsExactly("QUEUED/0", "STARTED/1", "SUCCEEDED/1", "DELIVERED/1");

            TaskEvent retry = only(byTask.get(flaky), TaskEventKind.RETRY_SCHEDULED);
            assertThat(retry.getTier()).isEqualTo("tasks.retry.1s");
            assertThat(retry.getError()).contains("IllegalStateException");
            assertThat(retry.getDueAt()).isAfter(retry.getAt());
            assertThat(only(byTask.get(delayed), TaskEventKind.QUEUED).getDueAt()).isEqualTo(runAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(only(byTask.get(echo), TaskEventKind.STARTED).getInstance()).isEqualTo("p0");
            assertThat(only(byTask.get(echo), TaskEventKind.SUCCEEDED).getOutput()).isNotNull();
            assertThat(only(byTask.get(unknown), TaskEventKind.DEAD_LETTERED).getReason()).isEqualTo("UNKNOWN_TYPE");
            assertThat(only(byTask.get(echo), TaskEventKind.DELIVERED).getChannel()).isEqualTo("log");

            TaskEvent deadLettered = only(byTask.get(exhausted), TaskEventKind.DEAD_LETTERED);
            assertThat(deadLettered.getReason()).isEqualTo("RETRIES_EXHAUSTED");
            if (guarantee == DeliveryGuarantee.AT_LEAST_ONCE) {
                // the event names where its letter is
                await().atMost(Duration.ofSeconds(10)).until(() -> letters.records().stream()
                        .anyMatch(l -> l.value().getRequest().getId().equals(exhausted)));
                var letter = letters.records().stream().filter(l -> l.value().getRequest().getId().equals(exhausted)).findFirst().orElseThrow();
                assertThat(deadLettered.getDeadLetterPartition()).isEqualTo(letter.raw().partition());
                assertThat(deadLettered.getDeadLetterOffset()).isEqualTo(letter.raw().offset());
            }
        } finally {
            apps.forEach(JavaApp::close);
        }
    }

    private static String submit(TaskSubmission submission) {
        return rig.tasks.submit(submission, Duration.ofSeconds(10)).id();
    }

    private static Map<String, List<TaskEventKind>> byTask(List<TaskEvent> events) {
        return events.stream().collect(Collectors.groupingBy(TaskEvent::getTaskId, Collectors.mapping(TaskEvent::getKind, Collectors.toList())));
    }

    /** The task's events as kind/attempt, once each, in (attempt, kind) order as the view orders them; deliveries last. */
    private static List<String> story(List<TaskEvent> events) {
        return events.stream()
                .sorted(Comparator.comparing((TaskEvent e) -> isDelivery(e.getKind()))
                        .thenComparing(TaskEvent::getAttempt)
                        .thenComparing(e -> rank(e.getKind())))
                .map(e -> e.getKind() + "/" + e.getAttempt())
                .distinct()
                .toList();
    }

    private static boolean isDelivery(TaskEventKind kind) {
        return kind == TaskEventKind.DELIVERED || kind == TaskEventKind.DELIVERY_FAILED || kind == TaskEventKind.DELIVERY_RETRY_SCHEDULED;
    }

    private static int rank(TaskEventKind kind) {
        return switch (kind) {
            case QUEUED, REPLAYED -> 0;
            case STARTED -> 1;
            case RETRY_SCHEDULED -> 2;
            case DEAD_LETTERED -> 3;
            default -> 4;
        };
    }

    private static TaskEvent only(List<TaskEvent> events, TaskEventKind kind) {
        return events.stream().filter(e -> e.getKind() == kind).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + events));
    }

    private static JavaApp notifier(String run, DeliveryGuarantee guarantee) {
        Map<String, String> env = new java.util.HashMap<>(rig.env("n-" + run, guarantee));
        env.put(NotifierAppConfig.GROUP_ID, "lifecycle-notifiers");
        env.put(NotifierAppConfig.CHANNELS, "log");
        return JavaApp.start("notifier-lifecycle-" + run, NotifierApp.class, env, rig.logs);
    }
}
