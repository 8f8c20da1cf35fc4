package dev.conveyor.producer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusViewSettingsTest {

    @Test
    void givenNothingConfiguredThenTheDefaultsApplyAndTheStateIsThisInstancesOwn() {
        // when
        StatusViewSettings settings = StatusViewSettings.load(Env.of(Map.of()), "gw-7", false, "127.0.0.1:9092");

        // then
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.retention()).isEqualTo(StatusViewSettings.DEFAULT_RETENTION);
        assertThat(settings.maxWaiters()).isEqualTo(StatusViewSettings.DEFAULT_MAX_WAITERS);
        assertThat(settings.applicationId()).isEqualTo("conveyor-status");
        assertThat(settings.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(settings.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "conveyor-status-gw-7"));
        // a generated instance id is never seen again, so neither is its state
        assertThat(settings.removeStateOnClose()).isTrue();
        assertThat(StatusViewSettings.load(Env.of(Map.of()), "gw-7", true, "127.0.0.1:9092").removeStateOnClose()).isFalse();
    }

    @Test
    void givenEveryKeyThenEachIsUsed() {
        // when
        StatusViewSettings settings = StatusViewSettings.load(Env.of(Map.of("STATUS_VIEW", "false", "STATUS_RETENTION", "2d",
                "STATUS_MAX_WAITERS", "50", "STATUS_STATE_DIR", "/var/lib/conveyor", "STATUS_ADVERTISED_HOST", "gw-7.internal",
                "STATUS_APPLICATION_ID", "acme-status")), "gw-7", false, "kafka:9092");

        // then
        assertThat(settings).isEqualTo(new StatusViewSettings(false, Duration.ofDays(2), 50, Path.of("/var/lib/conveyor"), false,
                "gw-7.internal", "acme-status"));
    }

    @Test
    void givenAnInvalidValueThenTheErrorNamesItsKey() {
        assertThatThrownBy(() -> load("STATUS_RETENTION", "0s")).isInstanceOf(ConfigException.class).hasMessageContaining("STATUS_RETENTION");
        assertThatThrownBy(() -> load("STATUS_MAX_WAITERS", "0")).hasMessageContaining("STATUS_MAX_WAITERS");
        assertThatThrownBy(() -> load("STATUS_ADVERTISED_HOST", "gw 7")).hasMessageContaining("STATUS_ADVERTISED_HOST");
        assertThatThrownBy(() -> load("STATUS_APPLICATION_ID", "a/b")).hasMessageContaining("STATUS_APPLICATION_ID");
        assertThatThrownBy(() -> load("STATUS_VIEW", "maybe")).hasMessageContaining("STATUS_VIEW");
    }

    private static StatusViewSettings load(String key, String value) {
        return StatusViewSettings.load(Env.of(Map.of(key, value)), "gw-7", true, "127.0.0.1:9092");
    }
}
