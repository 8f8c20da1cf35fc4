package dev.conveyor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.SchemaRules;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.notifier.NotifierAppConfig;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.processor.ProcessorAppConfig;
import dev.conveyor.producer.ProducerApp;
import dev.conveyor.producer.ProducerAppConfig;
import dev.conveyor.schema.TaskEvent;
import dev.conveyor.schema.TaskEventKind;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.security.KafkaSecurity;
import dev.conveyor.security.RegistrySecurity;
import dev.conveyor.stack.LocalStack;
import dev.conveyor.stack.StackSecurity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through a broker that takes clients only over SASL_SSL (SCRAM-SHA-512) and a
 * registry that serves only HTTPS with basic authentication, every app configured by the documented
 * variables alone; and the start-up errors of settings those servers refuse.
 */
class SecureClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Far above the few seconds a refused start takes, far below a hang or endless retries. */
    static final Duration START_FAILS_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path secrets;
    static LocalStack stack;
    static StackSecurity security;
    static final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void startSecureStack() {
        stack = LocalStack.startSecure();
        security = stack.security().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : running.reversed()) {
            closeable.close();
        }
        stack.close();
    }

    @Test
    void tasksRunEndToEndThroughSaslSslKafkaAndAnHttpsRegistryWithBasicAuth() throws Exception {
        // given the three apps, configured with the security variables only (the SCRAM password as a mounted file)
        Map<String, String> env = secureEnv();
        ProducerAppConfig producerConfig = ProducerApp.load(env);
        KafkaClients producerClients = connect(producerConfig.cluster());
        ProducerApp producer = started(ProducerApp.build(producerConfig, producerClients));
        ProcessorAppConfig processorConfig = ProcessorApp.load(env);
        ProcessorApp processor = started(ProcessorApp.build(processorConfig, connect(processorConfig.cluster()), HandlerRegistry.discover(Env.of(env))));
        NotifierAppConfig notifierConfig = NotifierApp.load(env);
        NotifierApp notifier = started(NotifierApp.build(notifierConfig, connect(notifierConfig.cluster()), NotifierApp.channels(notifierConfig, env)));

        // when tasks are submitted over HTTP
        Set<String> ids;
        try (HttpClient http = HttpClient.newHttpClient()) {
            ids = IntStream.range(0, 20).mapToObj(i -> submit(http, producer.url(), i)).collect(Collectors.toSet());

            // then the notifier delivers every task's result (its DELIVERED events, read with the same mapping)
            Deserializer<TaskEvent> events = producerClients.valueDeserializer(Topics.EVENTS);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered(producerConfig.cluster(), events).containsAll(ids));
            // and each app reports Kafka and the registry up, over TLS and with its login
            for (String url : List.of(producer.url(), processor.url(), notifier.url())) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(url).isEqualTo(200);
                assertThat(health.body()).contains("\"kafka\":\"UP\"", "\"registry\":\"UP\"");
            }
        }

        // and tasks.results, read with the same mapping, holds one SUCCEEDED result per task, decoded through the registry
        Deserializer<TaskResult> decoder = producerClients.valueDeserializer(Topics.RESULTS);
        List<TaskResult> results = TopicReader.read(producerConfig.cluster(), Topics.RESULTS.name()).stream()
                .map(r -> decoder.deserialize(Topics.RESULTS.name(), r.headers(), r.value()))
                .filter(r -> ids.contains(r.getTaskId()))
                .toList();
        assertThat(results).hasSize(ids.size()).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(TaskStatus.SUCCEEDED));
        // and the apps' schema rules reached the registry through its TLS and login
        SchemaRules rules = new SchemaRules(producerConfig.cluster());
        await().atMost(Duration.ofSeconds(30)).until(() -> SchemaRules.RULE.equals(rules.ruleOf(Topics.TASKS.name() + "-value")));
    }

    @Test
    void aWrongKafkaPasswordStopsEachAppsStartWithinSecondsNamingTheSetting() {
        // given the right user with a wrong password
        Map<String, String> env = secureEnv();
        env.remove(KafkaSecurity.SASL_PASSWORD + "_FILE");
        env.put(KafkaSecurity.SASL_PASSWORD, "not-the-password");

        // when each app starts as its main does, then it stops at once with the setting's name and not the password
        assertStartRefused(env, KafkaSecurity.SASL_PASSWORD, "refused the SCRAM-SHA-512 login of user '" + security.kafkaUser() + "'",
                EVERY_APP);
    }

    @Test
    void aPlaintextClientOfTheSaslSslListenerStopsNamingTheProtocol() {
        // given the SASL_SSL listener's address but no security settings
        Map<String, String> env = secureEnv();
        env.keySet().removeIf(key -> key.startsWith("KAFKA_") && !key.equals(ClusterConfig.BOOTSTRAP_SERVERS));

        // when an app starts, then it stops with the protocol named instead of reconnecting for ever
        // (one app: the check is the one every app's connect makes, and it waits out its 10 s answer timeout)
        assertStartRefused(env, KafkaSecurity.SECURITY_PROTOCOL, "did not answer within 10 s over PLAINTEXT", List.of(PROCESSOR));
    }

    @Test
    void aRegistryLoginOrTrustStoreItRefusesStopsTheStartNamingTheSetting() {
        Map<String, String> wrongPassword = secureEnv();
        wrongPassword.put(RegistrySecurity.PASSWORD, "not-the-password");
        assertStartRefused(wrongPassword, RegistrySecurity.PASSWORD, "refused the login of user '" + security.registryUser() + "'", EVERY_APP);

        Map<String, String> noLogin = secureEnv();
        noLogin.remove(RegistrySecurity.USERNAME);
        noLogin.remove(RegistrySecurity.PASSWORD);
        assertStartRefused(noLogin, RegistrySecurity.USERNAME, "requires a login", List.of(PRODUCER));

        // the JVM's own CAs do not vouch for the stack's certificate
        Map<String, String> noTrustStore = secureEnv();
        noTrustStore.keySet().removeIf(key -> key.startsWith(RegistrySecurity.TRUSTSTORE));
        assertStartRefused(noTrustStore, RegistrySecurity.TRUSTSTORE + "_LOCATION", "certificate is not trusted", List.of(PRODUCER));
    }

    /** Each app's start as its {@code main} does it: {@code load}, {@code connect}, {@code build}. */
    static final Consumer<Map<String, String>> PRODUCER = e -> {
        ProducerAppConfig config = ProducerApp.load(e);
        started(ProducerApp.build(config, connect(config.cluster())));
    };
    static final Consumer<Map<String, String>> PROCESSOR = e -> {
        ProcessorAppConfig config = ProcessorApp.load(e);
        started(ProcessorApp.build(config, connect(config.cluster()), HandlerRegistry.discover(Env.of(e))));
    };
    static final Consumer<Map<String, String>> NOTIFIER = e -> {
        NotifierAppConfig config = NotifierApp.load(e);
        started(NotifierApp.build(config, connect(config.cluster()), NotifierApp.channels(config, e)));
    };
    static final List<Consumer<Map<String, String>>> EVERY_APP = List.of(PRODUCER, PROCESSOR, NOTIFIER);

    /** Each of {@code starts} fails with {@code key}, quickly. */
    private static void assertStartRefused(Map<String, String> env, String key, String explanation, List<Consumer<Map<String, String>>> starts) {
        for (Consumer<Map<String, String>> start : starts) {
            long began = System.nanoTime();
            assertThatThrownBy(() -> start.accept(env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(key + ":")
                    .hasMessageContaining(explanation)
                    .hasMessageNotContaining("not-the-password")
                    // what an operator reads, and how long the start took to say it
                    .satisfies(e -> System.out.printf("start refused after %d ms: %s%n", (System.nanoTime() - began) / 1_000_000, e.getMessage()));
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(START_FAILS_WITHIN);
        }
    }

    /** What a deployment sets for this stack: the documented variables, nothing else. */
    private static Map<String, String> secureEnv() {
        Path passwordFile = secrets.resolve("kafka-password");
        try {
            Files.writeString(passwordFile, security.kafkaPassword() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put(ClusterConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        env.put(KafkaSecurity.SECURITY_PROTOCOL, "SASL_SSL");
        env.put(KafkaSecurity.SASL_MECHANISM, security.saslMechanism());
        env.put(KafkaSecurity.SASL_USERNAME, security.kafkaUser());
        env.put(KafkaSecurity.SASL_PASSWORD + "_FILE", passwordFile.toString());
        env.put(KafkaSecurity.TRUSTSTORE + "_LOCATION", security.tls().truststore().toString());
        env.put(KafkaSecurity.TRUSTSTORE + "_PASSWORD", security.tls().truststorePassword());
        env.put(ClusterConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        env.put(RegistrySecurity.TRUSTSTORE + "_LOCATION", security.tls().caCertificate().toString());
        env.put(RegistrySecurity.TRUSTSTORE + "_TYPE", "PEM");
        env.put(RegistrySecurity.USERNAME, security.registryUser());
        env.put(RegistrySecurity.PASSWORD, security.registryPassword());
        env.put("HTTP_PORT", "0");
        env.put("TASKS_PARTITIONS", "3");
        env.put("RESULTS_PARTITIONS", "3");
        env.put("RETRY_TIERS", "1s");
        // the gateway's own API keys are not what this test is about
        env.put("AUTH", "none");
        // the log channel: the notifier's consuming and writing is what goes through the secure cluster here
        env.put("NOTIFIER_CHANNELS", "log");
        return env;
    }

    private static KafkaClients connect(ClusterConfig cluster) {
        return started(KafkaClients.connect(cluster));
    }

    private static <T extends AutoCloseable> T started(T closeable) {
        running.add(closeable);
        return closeable;
    }

    private static String submit(HttpClient http, String producerUrl, int n) {
        String task = "{\"type\":\"echo\",\"key\":\"secure-" + n + "\",\"payload\":{\"n\":" + n + "}}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(producerUrl + "/tasks"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(task)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            return JSON.readTree(response.body()).path("id").asText();
        } catch (Exception e) {
            throw new AssertionError("could not submit task " + n, e);
        }
    }

    /** Tasks whose result the notifier delivered through its log channel. */
    private static Set<String> delivered(ClusterConfig cluster, Deserializer<TaskEvent> decoder) {
        return TopicReader.read(cluster, Topics.EVENTS.name()).stream()
                .map(r -> decoder.deserialize(Topics.EVENTS.name(), r.headers(), r.value()))
                .filter(e -> e.getKind() == TaskEventKind.DELIVERED && "log".equals(e.getChannel()))
                .map(TaskEvent::getTaskId)
                .collect(Collectors.toSet());
    }
}
