package dev.conveyor.bench.jmh;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.Topics;
import dev.conveyor.internal.serde.AvroSerdes;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serialization of a task: plain Avro binary (the floor) against Apicurio's serdes as the apps use
 * them (Confluent framing, schema resolved through a real registry once, then cached).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializationBenchmark {

    private LocalStack stack;
    private Serializer<TaskRequest> serializer;
    private Deserializer<TaskRequest> deserializer;
    private TaskRequest task;
    private byte[] framed;
    private byte[] plain;
    private final SpecificDatumWriter<TaskRequest> writer = new SpecificDatumWriter<>(TaskRequest.class);
    private final SpecificDatumReader<TaskRequest> reader = new SpecificDatumReader<>(TaskRequest.class);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stack = LocalStack.start();
        ClusterConfig cluster = new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());
        serializer = AvroSerdes.serializer(cluster);
        deserializer = AvroSerdes.deserializer(cluster);
        task = TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType("email.send").setKey("user-42")
                .setPayload("{\"to\":\"a@example.com\",\"subject\":\"hello\"}").setSubmittedAt(Instant.now()).setAttempt(1)
                .setMaxAttempts(0).setHeaders(Map.of("tenant", "acme")).build();
        framed = serializer.serialize(Topics.TASKS.name(), task);
        plain = plainBytes();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        serializer.close();
        deserializer.close();
        stack.close();
    }

    @Benchmark
    public byte[] apicurioSerialize() {
        return serializer.serialize(Topics.TASKS.name(), task);
    }

    @Benchmark
    public TaskRequest apicurioDeserialize() {
        return deserializer.deserialize(Topics.TASKS.name(), framed);
    }

    @Benchmark
    public byte[] avroEncode() throws IOException {
        return plainBytes();
    }

    @Benchmark
    public TaskRequest avroDecode() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(plain, decoder);
        return reader.read(null, decoder);
    }

    private byte[] plainBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        writer.write(task, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
