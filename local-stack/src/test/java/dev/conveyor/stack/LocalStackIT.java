package dev.conveyor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class LocalStackIT {

    @Test
    void brokerAndRegistryRunOnFreePortsAndRefuseAutoCreatedTopics() throws Exception {
        LocalStack stack = LocalStack.shared();

        try (Admin admin = admin(stack)) {
            assertThat(admin.describeFeatures().featureMetadata().get(10, TimeUnit.SECONDS).finalizedFeatures())
                    .containsKey("metadata.version");
            admin.createTopics(List.of(new NewTopic("stack-test", 3, (short) 1))).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of("stack-test")).allTopicNames().get().get("stack-test").partitions())
                    .hasSize(3);
            assertThat(admin.describeTopics(List.of("never-created")).allTopicNames())
                    .failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> info = http.send(
                    HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/apis/registry/v3/system/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).contains("\"version\":\"3.0.9\"");
            HttpResponse<String> ccompat = http.send(
                    HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/apis/ccompat/v7/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ccompat.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void newSegmentsOfTheLocalBrokerPreallocateSmallIndexFiles() throws Exception {
        // given the shared local stack
        LocalStack stack = LocalStack.shared();

        // when a topic is created, its first segment gets its index files
        try (Admin admin = admin(stack)) {
            admin.createTopics(List.of(new NewTopic("index-size-test", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }

        // then they are sparse files of the configured size, not Kafka's 10 MiB default
        Path partition = stack.workDir().resolve("kafka-data").resolve("index-size-test-0");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(partition.resolve("00000000000000000000.index")));
        assertThat(Files.size(partition.resolve("00000000000000000000.index"))).isEqualTo(KafkaBroker.INDEX_FILE_BYTES);
        // a time index entry takes 12 bytes: Kafka rounds the size down to whole entries
        assertThat(Files.size(partition.resolve("00000000000000000000.timeindex"))).isEqualTo(KafkaBroker.INDEX_FILE_BYTES / 12 * 12);
    }

    private static Admin admin(LocalStack stack) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return Admin.create(props);
    }
}
