package dev.conveyor.bench;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The wire format the brief prescribes, and nothing of Conveyor's engine: the source encodes a
 * benchmark task as a {@link TaskRequest} through the registry's serializer, the relay decodes it and
 * encodes its {@link TaskResult}, the sink decodes that. On the plain relay this is the least any
 * pipeline writing these records this way spends per task, so the engine's own cost is the rest.
 */
final class ConveyorRecords implements RelayedRecords {

    private final Serializer<TaskRequest> sourceSerializer;
    private final Deserializer<TaskRequest> relayDeserializer;
    private final Serializer<TaskResult> relaySerializer;
    private final Deserializer<TaskResult> sinkDeserializer;

    ConveyorRecords(ClusterConfig cluster) {
        // one serde per role: each is used from its own thread
        this.sourceSerializer = AvroSerdes.serializer(cluster);
        this.relayDeserializer = AvroSerdes.deserializer(cluster);
        this.relaySerializer = AvroSerdes.serializer(cluster);
        this.sinkDeserializer = AvroSerdes.deserializer(cluster);
    }

    @Override
    public byte[] source(int index, long sentAtNanos) {
        // the sequence number rides in the id, which has a UUID's length as Conveyor's ids do
        // every field set, as TaskClient sets them: a builder resolves the schema default of each one left out
        TaskRequest task = TaskRequest.newBuilder().setId(new UUID(0, index).toString()).setType(BenchHandler.TYPE)
                .setKey("k-" + index % ScenarioRunner.KEYS).setPayload("{}").setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(0)
                .setCallbackUrl(null).setHeaders(Map.of(LatencyChannel.T0, Long.toString(sentAtNanos))).setTimeoutMs(null).setRunAt(null)
                .setIdempotencyKey(null).build();
        return sourceSerializer.serialize(Topics.TASKS.name(), task);
    }

    @Override
    public byte[] relay(byte[] consumed) {
        TaskRequest task = relayDeserializer.deserialize(Topics.TASKS.name(), consumed);
        Instant now = Instant.now();
        TaskResult result = TaskResult.newBuilder().setTaskId(task.getId()).setType(task.getType()).setKey(task.getKey())
                .setStatus(TaskStatus.SUCCEEDED).setAttempts(task.getAttempt()).setOutput(null).setError(null).setReason(null)
                .setSubmittedAt(task.getSubmittedAt()).setStartedAt(now).setCompletedAt(now).setCallbackUrl(task.getCallbackUrl())
                .setHeaders(task.getHeaders()).build();
        return relaySerializer.serialize(Topics.RESULTS.name(), result);
    }

    @Override
    public Stamp read(byte[] delivered) {
        TaskResult result = sinkDeserializer.deserialize(Topics.RESULTS.name(), delivered);
        long sentAt = Long.parseLong(result.getHeaders().get(LatencyChannel.T0));
        return new Stamp(sentAt, (int) UUID.fromString(result.getTaskId()).getLeastSignificantBits());
    }

    @Override
    public void close() {
        sourceSerializer.close();
        relayDeserializer.close();
        relaySerializer.close();
        sinkDeserializer.close();
    }
}
