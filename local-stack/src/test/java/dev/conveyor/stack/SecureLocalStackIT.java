package dev.conveyor.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecureLocalStackIT {

    private static LocalStack stack;
    private static StackSecurity security;
    private static Duration startedIn;

    @BeforeAll
    static void startSecureStack() {
        long started = System.nanoTime();
        stack = LocalStack.startSecure();
        startedIn = Duration.ofNanos(System.nanoTime() - started);
        security = stack.security().orElseThrow();
        System.out.printf("secure local stack started in %d ms%n", startedIn.toMillis());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theBrokerTakesScramLoginsOverTlsAndRefusesAWrongPassword() throws Exception {
        // given the client user created when the broker's storage was formatted
        try (Admin admin = Admin.create(saslSsl(security.kafkaUser(), security.kafkaPassword()))) {
            // when it creates a topic over the SASL_SSL listener, then the broker serves it
            admin.createTopics(List.of(new NewTopic("secure-stack-test", 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of("secure-stack-test")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("secure-stack-test").partitions()).hasSize(2);
        }

        // when the same user logs in with another password, then the login is refused at once
        try (Admin admin = Admin.create(saslSsl(security.kafkaUser(), "not-" + security.kafkaPassword()))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theRegistryServesOnlyHttpsAndRequiresItsUserForTheApi() throws Exception {
        // given a client that trusts the stack's CA
        try (HttpClient https = HttpClient.newBuilder().sslContext(security.tls().clientContext()).build()) {
            String api = stack.registryUrl() + "/apis/registry/v3";

            // then the system info answers anyone, the API only the registry's user
            assertThat(stack.registryUrl()).startsWith("https://127.0.0.1:");
            assertThat(get(https, api + "/system/info", null).body()).contains("\"version\":\"3.0.9\"");
            assertThat(get(https, api + "/search/artifacts", null).statusCode()).isEqualTo(401);
            assertThat(get(https, api + "/search/artifacts", security.registryUser() + ":wrong").statusCode()).isEqualTo(401);
            assertThat(get(https, api + "/search/artifacts", security.registryUser() + ":" + security.registryPassword()).statusCode())
                    .isEqualTo(200);
            assertThat(get(https, stack.registryUrl() + "/apis/ccompat/v7/subjects", null).statusCode()).isEqualTo(401);
        }

        // and the registry's port takes no plain HTTP
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            String plain = stack.registryUrl().replace("https://", "http://") + "/apis/registry/v3/system/info";
            assertThatThrownBy(() -> get(http, plain, null)).isInstanceOf(java.io.IOException.class)
                    .isNotInstanceOf(ConnectException.class);
        }
    }

    private static Properties saslSsl(String user, String password) {
        Properties props = new Properties();
        props.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
                "sasl.mechanism", security.saslMechanism(),
                "sasl.jaas.config", StackSecurity.scramLogin(user, password),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", security.tls().caCertificate().toString()));
        return props;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
