package dev.conveyor.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.schema.IdempotencyClaim;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** The serializer's per-(topic, schema) lookup cache against a real Apicurio Registry. */
class SchemaPerTopicResolverIT {

    static final ObjectMapper JSON = new ObjectMapper();

    final LocalStack stack = LocalStack.shared();
    final ClusterConfig cluster = new ClusterConfig(stack.bootstrapServers(), stack.registryUrl());

    @Test
    void oneSchemaWrittenToTwoTopicsIsRegisteredUnderEachTopicsSubject() throws Exception {
        // given a serializer that has already resolved the task schema for one topic
        String first = "resolver-a-" + UUID.randomUUID();
        String second = "resolver-b-" + UUID.randomUUID();
        try (Serializer<TaskRequest> serializer = AvroSerdes.serializer(cluster)) {
            byte[] onFirst = serializer.serialize(first, task("1"));
            byte[] againOnFirst = serializer.serialize(first, task("2"));

            // when the same schema is written to a second topic
            byte[] onSecond = serializer.serialize(second, task("3"));

            // then each topic's Confluent subject exists and names the id framed into its records
            assertThat(schemaId(againOnFirst)).isEqualTo(schemaId(onFirst)).isEqualTo(latestId(first + "-value"));
            assertThat(schemaId(onSecond)).isEqualTo(latestId(second + "-value"));
        }
    }

    @Test
    void recordsFramedFromTheCachedLookupDecode() {
        // given records serialized after the lookup was cached
        String topic = "resolver-c-" + UUID.randomUUID();
        try (Serializer<TaskRequest> serializer = AvroSerdes.serializer(cluster);
                Deserializer<TaskRequest> deserializer = AvroSerdes.deserializer(cluster)) {
            serializer.serialize(topic, task("warm"));
            byte[] framed = serializer.serialize(topic, task("cached"));

            // when a fresh deserializer reads one
            TaskRequest decoded = deserializer.deserialize(topic, framed);

            // then it is the record that was written
            assertThat(framed[0]).isZero();
            assertThat(decoded.getId()).isEqualTo("cached");
            assertThat(decoded.getHeaders()).containsEntry("tenant", "acme");
        }
    }

    @Test
    void givenARecordsHeadersThenTheSerializerAddsNoneAndStillFramesTheSchemaId() throws Exception {
        // given a producer's record headers, as KafkaProducer hands them to the value serializer
        String topic = "resolver-d-" + UUID.randomUUID();
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("conveyor.type", "echo".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Serializer<TaskRequest> serializer = AvroSerdes.serializer(cluster);
                Deserializer<TaskRequest> deserializer = AvroSerdes.deserializer(cluster)) {

            // when
            byte[] framed = serializer.serialize(topic, headers, task("headed"));

            // then only the record's own header is there, and the value is in Confluent wire format
            assertThat(headers.toArray()).extracting(org.apache.kafka.common.header.Header::key).containsExactly("conveyor.type");
            assertThat(framed[0]).isZero();
            assertThat(schemaId(framed)).isEqualTo(latestId(topic + "-value"));
            assertThat(deserializer.deserialize(topic, headers, framed).getId()).isEqualTo("headed");
        }
    }

    @Test
    void givenRecordsOfTwoSchemasInOneTopicThenOneDeserializerDecodesEachWithItsOwnSchema() {
        // given a topic holding records framed with two different content ids, interleaved
        String topic = "resolver-e-" + UUID.randomUUID();
        try (Serializer<TaskRequest> tasks = AvroSerdes.serializer(cluster);
                Serializer<IdempotencyClaim> claims = AvroSerdes.serializer(cluster);
                Deserializer<Object> deserializer = AvroSerdes.deserializer(cluster)) {
            byte[] task = tasks.serialize(topic, task("t-1"));
            byte[] claim = claims.serialize(topic, IdempotencyClaim.newBuilder().setIdempotencyKey("k-1").setTaskId("t-1")
                    .setClaimedAt(Instant.EPOCH).setExpiresAt(Instant.EPOCH.plusSeconds(60)).build());
            assertThat(schemaId(claim)).isNotEqualTo(schemaId(task));

            // when one deserializer reads them alternately, so each read follows one of the other schema
            java.util.List<Object> decoded = new java.util.ArrayList<>();
            for (byte[] framed : java.util.List.of(task, claim, task, claim, claim, task)) {
                decoded.add(deserializer.deserialize(topic, framed));
            }

            // then every record decodes as what it was written as
            assertThat(decoded).extracting(o -> o.getClass().getSimpleName())
                    .containsExactly("TaskRequest", "IdempotencyClaim", "TaskRequest", "IdempotencyClaim", "IdempotencyClaim", "TaskRequest");
            assertThat(((IdempotencyClaim) decoded.get(4)).getIdempotencyKey()).isEqualTo("k-1");
            assertThat(((TaskRequest) decoded.get(5)).getId()).isEqualTo("t-1");
        }
    }

    static TaskRequest task(String id) {
        return TaskRequest.newBuilder().setId(id).setType("echo").setKey("k").setPayload("{}").setSubmittedAt(Instant.now())
                .setAttempt(1).setMaxAttempts(0).setHeaders(Map.of("tenant", "acme")).build();
    }

    static int schemaId(byte[] framed) {
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    int latestId(String subject) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(stack.registryUrl() + "/apis/ccompat/v7/subjects/" + subject + "/versions/latest")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body()).get("id").asInt();
        }
    }
}
