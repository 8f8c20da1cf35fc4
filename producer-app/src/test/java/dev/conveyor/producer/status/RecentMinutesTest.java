package dev.conveyor.producer.status;

import static dev.conveyor.producer.status.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.StatsMinute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentMinutesTest {

    @Test
    void givenTransitionsAtAnyTimeThenTheyCountInTheirMinuteWithinTheLastHourOnly() {
        // given the clock at 12:30:30
        var now = T0.plus(Duration.ofSeconds(30 * 60 + 30));
        List<StatsMinute> minutes = new ArrayList<>();

        // when transitions happened now, a minute ago (late), ahead of our clock, and 61 minutes ago
        boolean[] counted = {
            RecentMinutes.count(minutes, now, now),
            RecentMinutes.count(minutes, now.minusSeconds(60), now),
            RecentMinutes.count(minutes, now.plusSeconds(120), now),
            RecentMinutes.count(minutes, now.minus(Duration.ofMinutes(61)), now)};

        // then a clock ahead counts as now, and the one past the window is not counted
        assertThat(counted).containsExactly(true, true, true, false);
        assertThat(minutes).extracting(m -> m.getMinute() + "=" + m.getTransitions())
                .containsExactly(T0.plusSeconds(29 * 60) + "=1", T0.plusSeconds(30 * 60) + "=2");

        // when the clock moves on by an hour
        RecentMinutes.prune(minutes, now.plus(Duration.ofMinutes(60)));

        // then
        assertThat(minutes).isEmpty();
    }
}
