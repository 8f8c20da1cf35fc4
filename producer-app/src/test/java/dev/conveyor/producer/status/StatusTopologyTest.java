package dev.conveyor.producer.status;

import static dev.conveyor.producer.status.Events.T0;
import static dev.conveyor.producer.status.Events.delivery;
import static dev.conveyor.producer.status.Events.event;
import static dev.conveyor.schema.TaskEventKind.DELIVERED;
import static dev.conveyor.schema.TaskEventKind.FAILED;
import static dev.conveyor.schema.TaskEventKind.QUEUED;
import static dev.conveyor.schema.TaskEventKind.STARTED;
import static dev.conveyor.schema.TaskEventKind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskStatusView;
import dev.conveyor.schema.TaskTypeStats;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusTopologyTest {

    static final Duration RETENTION = Duration.ofHours(2);
    final List<String> terminal = new ArrayList<>();
    TopologyTestDriver driver;
    TestInputTopic<String, TaskEvent> events;

    void start(RetentionPolicy retention) throws Exception {
        StatusSerdes serdes = AvroBinarySerde.statusSerdes();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("status-topology-test").toString());
        driver = new TopologyTestDriver(StatusTopology.build(serdes, retention, (id, status) -> terminal.add(id + "=" + status.getState())),
                props, T0);
        events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), serdes.events().serializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void givenEventsOfSeveralTasksThenEachStatusIsFoldedAndTheAggregateCountsThem() throws Exception {
        // given
        start(RetentionPolicy.of(RETENTION));

        // when three echo tasks and one email task move along, one of them with a repeated event
        send(event("a", QUEUED, 0, 0).build(), event("a", STARTED, 1, 1).build(), event("a", SUCCEEDED, 1, 2).build(),
                event("a", SUCCEEDED, 1, 2).build(), delivery("a", DELIVERED, "log", 1, 3));
        send(event("b", STARTED, 1, 1).build(), event("b", QUEUED, 0, 0).build());
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        send(event("c", QUEUED, 0, 70).build());
        send(event("d", QUEUED, 0, 0).setType("email.send").build(), event("d", STARTED, 1, 1).setType("email.send").build(),
                event("d", FAILED, 1, 2).setType("email.send").setReason("NON_RETRYABLE").build());

        // then
        assertThat(status("a").getState()).isEqualTo("SUCCEEDED");
        assertThat(status("a").getDeliveries().get("log").getState()).isEqualTo("DELIVERED");
        assertThat(status("b").getState()).isEqualTo("RUNNING");
        assertThat(status("b").getQueuedAt()).isEqualTo(T0);
        assertThat(status("c").getState()).isEqualTo("QUEUED");
        assertThat(counts()).isEqualTo(Map.of("echo", Map.of("SUCCEEDED", 1L, "RUNNING", 1L, "QUEUED", 1L),
                "email.send", Map.of("FAILED", 1L)));
        // transitions by minute: a (3) and b (1) in minute 0, c in minute 1; d (3) in minute 0
        assertThat(minutes("echo")).containsExactly(Map.entry(T0, 4L), Map.entry(T0.plusSeconds(60), 1L));
        assertThat(minutes("email.send")).containsExactly(Map.entry(T0, 3L));
        // the listener heard each terminal transition once
        assertThat(terminal).containsExactly("a=SUCCEEDED", "d=FAILED");
    }

    @Test
    void givenStatusesPastTheRetentionThenTheSweepDeletesThemSliceBySliceAndUncountsThem() throws Exception {
        // given five tasks, sweeping at most two statuses per punctuation
        start(new RetentionPolicy(RETENTION, Duration.ofSeconds(10), 2));
        for (String id : List.of("t1", "t2", "t3", "t4", "t5")) {
            send(event(id, QUEUED, 0, 0).build());
        }
        // and one that keeps being updated
        send(event("t6", QUEUED, 0, 0).build());

        // when the wall clock passes the retention and t6 was updated since
        driver.advanceWallClockTime(RETENTION.minusMinutes(1));
        send(event("t6", STARTED, 1, T0.plus(RETENTION).minus(Duration.ofMinutes(1))).build());
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        // then one punctuation looked at no more than two statuses
        assertThat(storedIds()).hasSizeGreaterThanOrEqualTo(4);

        // when enough punctuations ran to go round
        for (int i = 0; i < 4; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(10));
        }

        // then only the updated task is left, and the aggregate counts only it
        assertThat(storedIds()).containsExactly("t6");
        assertThat(counts()).isEqualTo(Map.of("echo", Map.of("RUNNING", 1L)));
    }

    @Test
    void givenMinutesOlderThanAnHourThenTheyLeaveTheRates() throws Exception {
        // given
        start(RetentionPolicy.of(RETENTION));
        send(event("a", QUEUED, 0, 0).build());

        // when an hour and a half later another task moves
        driver.advanceWallClockTime(Duration.ofMinutes(90));
        send(event("b", QUEUED, 0, 90 * 60).build());

        // then
        assertThat(minutes("echo")).containsExactly(Map.entry(T0.plus(Duration.ofMinutes(90)), 1L));
        assertThat(counts()).isEqualTo(Map.of("echo", Map.of("QUEUED", 2L)));
    }

    void send(TaskEvent... sent) {
        for (TaskEvent event : sent) {
            events.pipeInput(event.getTaskId(), event);
        }
    }

    TaskStatusView status(String id) {
        KeyValueStore<String, TaskStatusView> store = driver.getKeyValueStore(StatusTopology.STATUS_STORE);
        return store.get(id);
    }

    List<String> storedIds() {
        KeyValueStore<String, TaskStatusView> store = driver.getKeyValueStore(StatusTopology.STATUS_STORE);
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, TaskStatusView> all = store.all()) {
            all.forEachRemaining(entry -> ids.add(entry.key));
        }
        return ids;
    }

    Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (KeyValue<String, TaskTypeStats> entry : stats()) {
            if (!entry.value.getCounts().isEmpty()) {
                counts.put(entry.value.getType(), entry.value.getCounts());
            }
        }
        return counts;
    }

    List<Map.Entry<java.time.Instant, Long>> minutes(String type) {
        return stats().stream().filter(e -> e.value.getType().equals(type)).flatMap(e -> e.value.getMinutes().stream())
                .map(m -> Map.entry(m.getMinute(), m.getTransitions())).toList();
    }

    List<KeyValue<String, TaskTypeStats>> stats() {
        KeyValueStore<String, TaskTypeStats> store = driver.getKeyValueStore(StatusTopology.STATS_STORE);
        List<KeyValue<String, TaskTypeStats>> all = new ArrayList<>();
        try (KeyValueIterator<String, TaskTypeStats> entries = store.all()) {
            entries.forEachRemaining(all::add);
        }
        return all;
    }
}
