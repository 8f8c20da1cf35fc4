package dev.conveyor.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.Env;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.processor.ProcessorAppConfig;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.LocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The dead-letter tool against a real broker, registry and processor. */
class DeadLetterToolIT {

    static LocalStack stack;
    static KafkaClients clients;
    static ProcessorApp processor;
    static Producer<String, TaskRequest> tasks;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "HTTP_PORT", "0", "RETRY_TIERS", "100ms,200ms", "TASKS_PARTITIONS", "3", "DLQ_PARTITIONS", "2");
        ProcessorAppConfig config = ProcessorApp.load(env);
        clients = KafkaClients.connect(config.cluster());
        processor = ProcessorApp.build(config, clients, HandlerRegistry.discover(Env.of(env)));
        tasks = clients.producer("dlq-tool-test", Map.of());
    }

    @AfterAll
    static void stop() {
        tasks.close();
        processor.close();
        clients.close();
    }

    @Test
    void listInspectReplayAndPurgeDeadLetters() throws Exception {
        String marker = "outage-" + UUID.randomUUID();
        // fails once; with one attempt allowed it is dead-lettered, and a replay with the default limit recovers
        TaskRequest recoverable = task("fail", "{\"failAttempts\":1,\"message\":\"" + marker + "\"}", 1);
        TaskRequest refused = task("fail", "{\"nonRetryable\":true,\"message\":\"bad input\"}", 0);
        submit(recoverable);
        submit(refused);
        await().atMost(Duration.ofSeconds(60)).until(() -> result(recoverable.getId(), 1).isPresent() && result(refused.getId(), 1).isPresent());

        String list = run("list", "--reason", "RETRIES_EXHAUSTED", "--grep", marker);
        assertThat(list).contains(recoverable.getId()).doesNotContain(refused.getId()).contains("1 dead letter(s)");
        assertThat(run("list", "--reason", "NON_RETRYABLE", "--type", "fail")).contains(refused.getId());
        String ref = list.lines().filter(l -> l.contains(recoverable.getId())).findFirst().orElseThrow().split("\\s+")[0];

        assertThat(run("inspect", ref)).contains("reason:   RETRIES_EXHAUSTED").contains("attempt 1 at").contains(marker)
                .contains("type=fail");

        long tasksBefore = TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name()).size();
        assertThat(run("replay", "--grep", marker)).contains("would replay " + ref).contains("dry run: 1 task(s)");
        assertThat(TopicReader.read(stack.bootstrapServers(), Topics.TASKS.name())).hasSize((int) tasksBefore);

        assertThat(run("replay", "--grep", marker, "--execute")).contains("replayed 1 task(s)");
        await().atMost(Duration.ofSeconds(60)).until(() -> result(recoverable.getId(), 2).isPresent());
        TaskResult replayed = result(recoverable.getId(), 2).orElseThrow();
        assertThat(replayed.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(replayed.getAttempts()).isEqualTo(2);
        assertThat(replayed.getHeaders()).containsEntry(DeadLetterStore.REPLAYED_FROM, "tasks.dlq/" + ref.replace(':', '/'));
        // the status view learns of the replay: REPLAYED names the letter, and the new run's events carry its run
        await().atMost(Duration.ofSeconds(30)).until(() -> events(recoverable.getId()).stream()
                .anyMatch(e -> e.getKind() == TaskEventKind.SUCCEEDED && e.getRun() > 0));
        List<TaskEvent> lifecycle = events(recoverable.getId());
        TaskEvent replay = lifecycle.stream().filter(e -> e.getKind() == TaskEventKind.REPLAYED).findFirst().orElseThrow();
        assertThat(replay.getDeadLetterPartition() + ":" + replay.getDeadLetterOffset()).isEqualTo(ref);
        assertThat(lifecycle.stream().filter(e -> e.getRun() == replay.getRun()).map(TaskEvent::getKind))
                .contains(TaskEventKind.REPLAYED, TaskEventKind.STARTED, TaskEventKind.SUCCEEDED);
        assertThat(lifecycle.stream().filter(e -> e.getRun() == 0).map(TaskEvent::getKind))
                .as("the first run ended in the letter").contains(TaskEventKind.DEAD_LETTERED, TaskEventKind.FAILED);

        String dryPurge = run("purge", "--before", Instant.now().plusSeconds(3600).toString());
        assertThat(dryPurge).contains("would purge tasks.dlq-").contains("dry run");
        assertThat(run("list")).doesNotContain(" 0 dead letter(s)");
        assertThat(run("purge", "--before", Instant.now().plusSeconds(3600).toString(), "--execute")).contains("purged");
        assertThat(run("list")).contains("0 dead letter(s)");
    }

    static String run(String... args) {
        StringWriter out = new StringWriter();
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl()));
        int exit = new CommandLine(new DeadLetterTool()).setOut(new PrintWriter(out)).execute(full.toArray(String[]::new));
        assertThat(exit).as(out.toString()).isZero();
        return out.toString();
    }

    static List<TaskEvent> events(String taskId) {
        Deserializer<TaskEvent> decoder = AvroSerdes.deserializer(clients.cluster());
        return TopicReader.read(stack.bootstrapServers(), Topics.EVENTS.name()).stream()
                .map(r -> decoder.deserialize(Topics.EVENTS.name(), r.value()))
                .filter(e -> e.getTaskId().equals(taskId)).toList();
    }

    /** The n-th result of a task (1-based). */
    static Optional<TaskResult> result(String taskId, int nth) {
        Deserializer<TaskResult> decoder = AvroSerdes.deserializer(clients.cluster());
        List<TaskResult> results = TopicReader.read(stack.bootstrapServers(), Topics.RESULTS.name()).stream()
                .map(r -> decoder.deserialize(Topics.RESULTS.name(), r.value()))
                .filter(r -> r.getTaskId().equals(taskId)).toList();
        return results.size() >= nth ? Optional.of(results.get(nth - 1)) : Optional.empty();
    }

    static TaskRequest task(String type, String payload, int maxAttempts) {
        String id = UUID.randomUUID().toString();
        return TaskRequest.newBuilder().setId(id).setType(type).setKey(id).setPayload(payload).setSubmittedAt(Instant.now())
                .setAttempt(1).setMaxAttempts(maxAttempts).setHeaders(Map.of()).build();
    }

    static void submit(TaskRequest task) throws Exception {
        tasks.send(new ProducerRecord<>(Topics.TASKS.name(), task.getKey(), task)).get();
    }
}
