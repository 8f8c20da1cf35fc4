package dev.conveyor.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerLimitsTest {

    final HandlerLimits limits = HandlerLimits.load(Env.of(Map.of(
            "HANDLER_TIMEOUT", "1m", "HANDLER_TIMEOUTS", "email.send=30s, report.render=5m", "MAX_ATTEMPTS_BY_TYPE", "email.send=8")), 5);

    @Test
    void givenATaskLimitThenItWinsOverTheTypeAndTheDefault() {
        assertThat(limits.timeoutFor("email.send", 1_500L)).isEqualTo(Duration.ofMillis(1_500));
        assertThat(limits.maxAttemptsFor("email.send", 2)).isEqualTo(2);
    }

    @Test
    void givenNoTaskLimitThenTheTypeLimitAppliesElseTheDefault() {
        assertThat(limits.timeoutFor("email.send", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(limits.timeoutFor("echo", null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(limits.maxAttemptsFor("email.send", 0)).isEqualTo(8);
        assertThat(limits.maxAttemptsFor("echo", 0)).isEqualTo(5);
    }

    @Test
    void givenMalformedLimitsThenTheErrorNamesTheVariable() {
        assertThatThrownBy(() -> HandlerLimits.load(Env.of(Map.of("HANDLER_TIMEOUTS", "email.send")), 5))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HANDLER_TIMEOUTS:");
        assertThatThrownBy(() -> HandlerLimits.load(Env.of(Map.of("MAX_ATTEMPTS_BY_TYPE", "echo=lots")), 5))
                .hasMessageStartingWith("MAX_ATTEMPTS_BY_TYPE:");
        assertThatThrownBy(() -> HandlerLimits.load(Env.of(Map.of("MAX_ATTEMPTS_BY_TYPE", "echo=0")), 5))
                .hasMessageStartingWith("MAX_ATTEMPTS_BY_TYPE:");
    }
}
