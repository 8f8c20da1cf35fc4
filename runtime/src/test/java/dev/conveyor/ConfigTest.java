package dev.conveyor;

import dev.conveyor.http.HttpSettings;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.retry.Failures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void givenNoEnvironmentThenLocalDefaultsApply() {
        Env env = Env.of(Map.of());

        assertThat(ClusterConfig.load(env)).isEqualTo(new ClusterConfig("127.0.0.1:9092", "http://127.0.0.1:8080"));
        assertThat(TopicConfig.load(env)).isEqualTo(TopicConfig.defaults());
        assertThat(TopicConfig.load(env).tasksPartitions()).isEqualTo(12);
        assertThat(ConsumerSettings.load(env)).usingRecursiveComparison().ignoringFields("instanceId")
                .isEqualTo(ConsumerSettings.defaults());
    }

    @Test
    void givenExactlyOnceThenTransactionsCommitOftenUnlessToldOtherwise() {
        ConsumerSettings exactlyOnce = ConsumerSettings.load(Env.of(Map.of("DELIVERY_GUARANTEE", "exactly-once", "INSTANCE_ID", "pod-7")));
        ConsumerSettings tuned = ConsumerSettings.load(Env.of(Map.of("DELIVERY_GUARANTEE", "EXACTLY_ONCE", "COMMIT_INTERVAL", "1s")));

        assertThat(exactlyOnce.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(exactlyOnce.commitInterval()).isEqualTo(ConsumerSettings.DEFAULT_TRANSACTION_INTERVAL);
        assertThat(exactlyOnce.instanceId()).isEqualTo("pod-7");
        assertThat(tuned.commitInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("DELIVERY_GUARANTEE", "twice"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DELIVERY_GUARANTEE");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("INSTANCE_ID", "has space"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("INSTANCE_ID");
    }

    @Test
    void givenOverridesThenTheyWin() {
        Env env = Env.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9093", "SCHEMA_REGISTRY_URL", "http://reg:8080/apis/registry/v3/",
                "TASKS_PARTITIONS", "48", "ORDERING", "partition", "COMMIT_INTERVAL", "250ms", "DRAIN_TIMEOUT", "PT1M"));

        ClusterConfig cluster = ClusterConfig.load(env);
        assertThat(cluster.schemaRegistryUrl()).isEqualTo("http://reg:8080");
        assertThat(cluster.registryApiUrl()).isEqualTo("http://reg:8080/apis/registry/v3");
        assertThat(cluster.confluentCompatibleUrl()).isEqualTo("http://reg:8080/apis/ccompat/v7");
        assertThat(TopicConfig.load(env).tasksPartitions()).isEqualTo(48);
        ConsumerSettings consumer = ConsumerSettings.load(env);
        assertThat(consumer.ordering()).isEqualTo(OrderingMode.PARTITION);
        assertThat(consumer.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(consumer.drainTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void givenOrderingByTypeThenListedTypesUseTheirModeAndOthersTheAppDefault() {
        ConsumerSettings consumer = ConsumerSettings.load(Env.of(Map.of(
                "ORDERING_BY_TYPE", " report.render = partition , ping=UNORDERED,")));

        assertThat(consumer.orderingOf("report.render")).isEqualTo(OrderingMode.PARTITION);
        assertThat(consumer.orderingOf("ping")).isEqualTo(OrderingMode.UNORDERED);
        assertThat(consumer.orderingOf("email.send")).isEqualTo(OrderingMode.KEY);
        assertThat(consumer.orderingOf(null)).isEqualTo(OrderingMode.KEY);
    }

    @Test
    void givenBadValuesThenTheErrorNamesTheVariable() {
        assertThatThrownBy(() -> ClusterConfig.load(Env.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("KAFKA_BOOTSTRAP_SERVERS:");
        assertThatThrownBy(() -> ClusterConfig.load(Env.of(Map.of("SCHEMA_REGISTRY_URL", "ftp://x"))))
                .hasMessageStartingWith("SCHEMA_REGISTRY_URL:");
        assertThatThrownBy(() -> TopicConfig.load(Env.of(Map.of("TASKS_PARTITIONS", "0"))))
                .hasMessageStartingWith("TASKS_PARTITIONS:");
        assertThatThrownBy(() -> TopicConfig.load(Env.of(Map.of("TASKS_PARTITIONS", "many"))))
                .hasMessageStartingWith("TASKS_PARTITIONS:").hasMessageContaining("whole number");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("ORDERING", "chaos"))))
                .hasMessageStartingWith("ORDERING:");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("MAX_IN_FLIGHT", "0"))))
                .hasMessageStartingWith("MAX_IN_FLIGHT:");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("MAX_CONCURRENCY", "0"))))
                .hasMessageStartingWith("MAX_CONCURRENCY:");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("ORDERING_BY_TYPE", "report.render"))))
                .hasMessageStartingWith("ORDERING_BY_TYPE:").hasMessageContaining("type=mode");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("ORDERING_BY_TYPE", "a=key,a=partition"))))
                .hasMessageStartingWith("ORDERING_BY_TYPE:").hasMessageContaining("twice");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("ORDERING_BY_TYPE", "a=sometimes"))))
                .hasMessageStartingWith("ORDERING_BY_TYPE:");
        assertThatThrownBy(() -> ConsumerSettings.load(Env.of(Map.of("COMMIT_INTERVAL", "soon"))))
                .hasMessageStartingWith("COMMIT_INTERVAL:");
        assertThatThrownBy(() -> TopicConfig.load(Env.of(Map.of("TOPICS_CREATE", "maybe"))))
                .hasMessageStartingWith("TOPICS_CREATE:");
        assertThatThrownBy(() -> new HttpSettings(70_000)).hasMessageStartingWith("HTTP_PORT:");
    }

    @Test
    void givenShortAndIsoDurationsThenBothParse() {
        assertThat(Env.parseDuration("K", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Env.parseDuration("K", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Env.parseDuration("K", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Env.parseDuration("K", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void givenANumberTooLargeForADurationThenItIsAConfigErrorNamingTheVariable() {
        // found by fuzzing the gateway's task parser: these were a NumberFormatException and an ArithmeticException
        assertThatThrownBy(() -> Env.parseDuration("K", "999999999999999999992s")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("K:");
        assertThatThrownBy(() -> Env.parseDuration("K", "9999999999999999d")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Env.parseDuration("K", "PT9999999999999999999H")).isInstanceOf(ConfigException.class);
    }

    @Test
    void givenAFailureThenItsDescriptionIsBounded() {
        String huge = "x".repeat(10_000);

        String described = Failures.describe(new java.util.concurrent.CompletionException(new IllegalStateException(huge)));

        assertThat(described).startsWith("java.lang.IllegalStateException: xxx").hasSize(Failures.MAX_ERROR_CHARS).endsWith("[truncated]");
    }

    @Test
    void givenAnUnknownLogFormatWhenClusterSettingsLoadThenTheErrorNamesLogFormat() {
        assertThatThrownBy(() -> ClusterConfig.load(Env.of(java.util.Map.of("LOG_FORMAT", "xml"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_FORMAT").hasMessageContaining("'xml'");
        assertThat(ClusterConfig.load(Env.of(java.util.Map.of("LOG_FORMAT", "json")))).isNotNull();
    }
}
