package dev.conveyor.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.kafka.Topics;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.stack.WebhookReceiver;
import dev.conveyor.webhooks.WebhookSecret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads every Conveyor topic the way a Confluent-style consumer would, knowing nothing of Apicurio:
 * raw bytes, magic byte 0, 4-byte schema id, schema from {@code /apis/ccompat/v7/schemas/ids/{id}},
 * decoded with a plain Avro {@link GenericDatumReader}.
 */
class ConfluentCompatibilityIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey KEY = NewApiKey.generate("compat", EnumSet.of(Scope.SUBMIT), "*", 0);
    static LocalStack stack;
    static Pipeline pipeline;
    static WebhookReceiver receiver;
    static HttpClient http;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        receiver = WebhookReceiver.start();
        http = HttpClient.newHttpClient();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "PROCESSOR_GROUP_ID", "compat-processor",
                "NOTIFIER_GROUP_ID", "compat-notifier"));
        env.putAll(LocalWebhooks.notifierEnv(WebhookSecret.generate(new SecureRandom()), List.of(LocalWebhooks.allowlistEntry(receiver))));
        env.put(AuthSettings.API_KEYS, KEY.line());
        pipeline = Pipeline.start(env, new int[] {0, 0, 0});
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        receiver.close();
        http.close();
    }

    @Test
    void everyTopicIsReadableThroughTheConfluentCompatibleApi() throws Exception {
        post("{\"type\":\"echo\",\"payload\":{\"a\":1},\"callbackUrl\":\"" + LocalWebhooks.callbackUrl(receiver, "/c") + "\"}");
        post("{\"type\":\"report.render\",\"callbackUrl\":\"" + LocalWebhooks.callbackUrl(receiver, "/c") + "\"}");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.TASKS.name(), "garbage", new byte[] {42, 42, 42})).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.deliveries().size() >= 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> !TopicReader.read(stack.bootstrapServers(), Topics.DEAD_LETTERS.name()).isEmpty());

        for (String topic : List.of(Topics.TASKS.name(), Topics.RESULTS.name(), Topics.DEAD_LETTERS.name())) {
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(stack.bootstrapServers(), topic);
            List<GenericRecord> decoded = records.stream()
                    .filter(r -> !(topic.equals(Topics.TASKS.name()) && r.value()[0] != 0)) // the garbage we wrote ourselves
                    .map(r -> decodeLikeConfluent(r.value())).toList();
            assertThat(decoded).as(topic).isNotEmpty();
            switch (topic) {
                case "tasks" -> assertThat(decoded).anySatisfy(g -> assertThat(g.get("type").toString()).isEqualTo("echo"));
                case "tasks.results" -> assertThat(decoded).anySatisfy(g -> assertThat(g.get("status").toString()).isEqualTo("SUCCEEDED"));
                default -> assertThat(decoded).extracting(g -> g.get("reason").toString()).contains("UNKNOWN_TYPE", "UNDECODABLE");
            }
        }

        for (String subject : List.of("tasks-value", "tasks.results-value", "tasks.dlq-value")) {
            JsonNode versions = JSON.readTree(get("/apis/ccompat/v7/subjects/" + subject + "/versions"));
            assertThat(versions).as("versions of %s: one schema, however many writers", subject).hasSize(1);
        }
    }

    static GenericRecord decodeLikeConfluent(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.get()).isEqualTo((byte) 0);
        int id = buffer.getInt();
        try {
            JsonNode schemaResponse = JSON.readTree(get("/apis/ccompat/v7/schemas/ids/" + id));
            Schema schema = new Schema.Parser().parse(schemaResponse.get("schema").asText());
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("could not decode a record with schema id " + id, e);
        }
    }

    static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return response.body();
    }

    static void post(String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipeline.producerUrl() + "/tasks"))
                .header("Authorization", KEY.authorization()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
    }
}
