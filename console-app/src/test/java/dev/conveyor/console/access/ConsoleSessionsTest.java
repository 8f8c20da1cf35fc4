package dev.conveyor.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-06T09:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void givenASessionWhenItsLifetimeEndsThenItIsNoLongerFound() {
        MovingClock clock = new MovingClock();
        ConsoleSessions sessions = new ConsoleSessions(clock);
        ConsoleSessions.Session session = sessions.open("operator", null);

        assertThat(sessions.find(session.id())).contains(session);
        clock.now = clock.now.plus(ConsoleSessions.LIFETIME).minusSeconds(1);
        assertThat(sessions.find(session.id())).isPresent();
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void givenTwoSessionsThenIdsAndTokensDifferAndOnlyTheSessionsOwnTokenMatches() {
        ConsoleSessions sessions = new ConsoleSessions(new MovingClock());
        ConsoleSessions.Session a = sessions.open("a", null);
        ConsoleSessions.Session b = sessions.open("b", null);

        assertThat(a.id()).isNotEqualTo(b.id()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(a.csrf()).isNotEqualTo(b.csrf()).isNotEqualTo(a.id());
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(b.csrf())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
    }

    @Test
    void givenASignOutThenTheSessionIsGoneAndUnknownIdsAreNotFound() {
        ConsoleSessions sessions = new ConsoleSessions(new MovingClock());
        ConsoleSessions.Session session = sessions.open("operator", null);
        sessions.close(session.id());
        assertThat(sessions.find(session.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("forged")).isEmpty();
    }
}
