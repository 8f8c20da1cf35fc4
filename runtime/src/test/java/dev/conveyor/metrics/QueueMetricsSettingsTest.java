package dev.conveyor.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueMetricsSettingsTest {

    @Test
    void givenNothingSetThenEnabledEveryFifteenSeconds() {
        assertThat(QueueMetricsSettings.load(Env.of(Map.of()))).isEqualTo(new QueueMetricsSettings(true, Duration.ofSeconds(15)));
    }

    @Test
    void givenBothSetThenBothAreRead() {
        QueueMetricsSettings settings = QueueMetricsSettings.load(Env.of(Map.of("QUEUE_METRICS", "false", "QUEUE_METRICS_INTERVAL", "30s")));

        assertThat(settings).isEqualTo(new QueueMetricsSettings(false, Duration.ofSeconds(30)));
    }

    @Test
    void givenAnIntervalUnderASecondThenTheErrorNamesTheKey() {
        assertThatThrownBy(() -> QueueMetricsSettings.load(Env.of(Map.of("QUEUE_METRICS_INTERVAL", "200ms"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("QUEUE_METRICS_INTERVAL");
    }
}
