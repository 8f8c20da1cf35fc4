package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.LocalStack;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's two relays against the real broker and registry. */
class RawCeilingIT {

    static ClusterConfig cluster;
    static KafkaClients clients;
    static ConveyorRecords conveyorRecords;
    final ProcessCpu cpu = new ProcessCpu(OptionalLong.empty());

    @BeforeAll
    static void start() {
        LocalStack stack = LocalStack.shared();
        cluster = new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());
        clients = KafkaClients.connect(cluster);
        conveyorRecords = new ConveyorRecords(cluster);
    }

    @AfterAll
    static void stop() {
        conveyorRecords.close();
        clients.close();
    }

    @Test
    void conveyorRecordsAreTheRegistrysWireFormatAndTheRelayAnswersEachTaskWithItsResult() {
        // given
        long sentAt = System.nanoTime();

        // when
        byte[] task = conveyorRecords.source(7, sentAt);
        byte[] result = conveyorRecords.relay(task);

        // then: magic byte 0 and a schema id, as every Conveyor topic carries
        assertThat(task[0]).isZero();
        assertThat(result[0]).isZero();
        try (Deserializer<TaskResult> results = AvroSerdes.deserializer(cluster)) {
            TaskResult decoded = results.deserialize(Topics.RESULTS.name(), result);
            assertThat(decoded.getStatus()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(decoded.getType()).isEqualTo(BenchHandler.TYPE);
        }
        assertThat(conveyorRecords.read(result)).isEqualTo(new RelayedRecords.Stamp(sentAt, 7));
        assertThat(TaskSize.serializedBytes(cluster)).isEqualTo(conveyorRecords.source(1_234, sentAt).length);
    }

    @Test
    void plainBytesMakeTheWholeTripAndEveryMeasuredRecordIsTimed() throws Exception {
        RawCeiling.Result result = RawCeiling.measure(clients, cpu, 3, 5_000, new PlainBytes(96));

        assertThat(result.lost()).isZero();
        assertThat(result.perSecond()).isPositive();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(5_000);
    }

    @Test
    void conveyorRecordsMakeTheWholeTripAndEveryMeasuredRecordIsTimed() throws Exception {
        RawCeiling.Result result = RawCeiling.measure(clients, cpu, 3, 5_000, conveyorRecords);

        assertThat(result.lost()).isZero();
        assertThat(result.perSecond()).isPositive();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(5_000);
    }
}
