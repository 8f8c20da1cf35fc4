package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.ConsumerSettings;
import dev.conveyor.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifierAppConfigTest {

    @Test
    void aNotifierHoldsNoMoreResultsInFlightThanItCanDeliverAtOnce() {
        // given no in-flight settings
        NotifierAppConfig config = NotifierAppConfig.load(Env.of(Map.of()));

        // then its limit is what it can deliver at once, so a crash re-sends little
        assertThat(config.consumer().maxInFlight()).isEqualTo(config.consumer().maxConcurrency())
                .isLessThan(ConsumerSettings.DEFAULT_MAX_IN_FLIGHT);
        assertThat(config.consumer().maxInFlightPerPartition()).isEqualTo(config.consumer().maxInFlight() / 4);
    }

    @Test
    void itsLimitFollowsTheDeliveriesThatCanRunAtOnce() {
        // given more deliveries at once than the default
        NotifierAppConfig config = NotifierAppConfig.load(Env.of(Map.of(ConsumerSettings.MAX_CONCURRENCY, "1024")));

        // then as many may be in flight
        assertThat(config.consumer().maxInFlight()).isEqualTo(1024);
        assertThat(config.consumer().maxInFlightPerPartition()).isEqualTo(256);
    }

    @Test
    void theEnvironmentStillWins() {
        // given in-flight settings of the operator's
        NotifierAppConfig config = NotifierAppConfig.load(Env.of(Map.of(ConsumerSettings.MAX_IN_FLIGHT, "4096",
                ConsumerSettings.MAX_IN_FLIGHT_PER_PARTITION, "512")));

        // then they are used
        assertThat(config.consumer().maxInFlight()).isEqualTo(4096);
        assertThat(config.consumer().maxInFlightPerPartition()).isEqualTo(512);
    }
}
