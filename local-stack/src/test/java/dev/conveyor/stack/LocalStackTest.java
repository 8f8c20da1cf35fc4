package dev.conveyor.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class LocalStackTest {

    @Test
    void brokerAndRegistryRunOnFreePortsAndRefuseAutoCreatedTopics() throws Exception {
        LocalStack stack = LocalStack.shared();

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
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
}
