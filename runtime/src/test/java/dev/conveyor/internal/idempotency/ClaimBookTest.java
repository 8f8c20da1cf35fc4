package dev.conveyor.internal.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClaimBookTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Duration DAY = Duration.ofHours(24);

    final ClaimBook book = new ClaimBook();

    @Test
    void givenTwoClaimsOfOneKeyThenTheFirstInOffsetOrderWinsAndTheOtherLoses() {
        book.apply("order-42", "task-a", T0, T0.plus(DAY));

        ClaimBook.Winner afterSecond = book.apply("order-42", "task-b", T0.minusMillis(5), T0.plus(DAY));

        assertThat(afterSecond.taskId()).as("offset order decides, not the submitters' clocks").isEqualTo("task-a");
        assertThat(book.lost("task-b")).isTrue();
        assertThat(book.lost("task-a")).isFalse();
        assertThat(book.winner("order-42")).map(ClaimBook.Winner::taskId).hasValue("task-a");
    }

    @Test
    void givenAClaimAfterTheWinnerExpiredThenTheNewClaimWins() {
        book.apply("order-42", "task-a", T0, T0.plus(DAY));

        ClaimBook.Winner later = book.apply("order-42", "task-c", T0.plus(DAY), T0.plus(DAY).plus(DAY));

        assertThat(later.taskId()).isEqualTo("task-c");
        assertThat(book.lost("task-c")).isFalse();
    }

    @Test
    void givenTheSameClaimAppliedTwiceThenItDoesNotLoseToItself() {
        book.apply("k", "task-a", T0, T0.plus(DAY));
        book.apply("k", "task-a", T0, T0.plus(DAY));

        assertThat(book.lost("task-a")).isFalse();
    }

    @Test
    void givenExpiredEntriesThenEvictionDropsThemOnlyAfterTheGrace() {
        book.apply("k", "task-a", T0, T0.plus(DAY));
        book.apply("k", "task-b", T0, T0.plus(DAY));

        book.evict(T0.plus(DAY).plus(ClaimBook.GRACE).minusSeconds(1));
        assertThat(book.size()).isEqualTo(2);

        book.evict(T0.plus(DAY).plus(ClaimBook.GRACE).plusSeconds(1));
        assertThat(book.size()).isZero();
        assertThat(book.winner("k")).isEmpty();
    }
}
