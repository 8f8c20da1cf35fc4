package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void keepsWarmingWhileEachRoundIsClearlyFaster() {
        // given
        WarmUp warmUp = new WarmUp();

        // when / then: the session-5 sequence up to its fourth round
        assertThat(warmUp.isWarmAfter(9_417)).isFalse();
        assertThat(warmUp.isWarmAfter(16_861)).isFalse();
        assertThat(warmUp.isWarmAfter(23_602)).isFalse();
    }

    @Test
    void isWarmAfterTwoRoundsInARowNotClearlyFasterThanTheBest() {
        // given
        WarmUp warmUp = afterRounds(5_523, 9_417, 16_861, 23_602);

        // when
        boolean afterOneFlatRound = warmUp.isWarmAfter(23_556);
        boolean afterTwoFlatRounds = warmUp.isWarmAfter(25_000);

        // then: 25,000 is faster than 23,602 but not by 10%
        assertThat(afterOneFlatRound).isFalse();
        assertThat(afterTwoFlatRounds).isTrue();
    }

    @Test
    void aDipFollowedByAClearlyFasterRoundStartsTheCountAgain() {
        // given: a round that dipped below the best
        WarmUp warmUp = afterRounds(5_523, 8_163, 15_949, 11_292);

        // when
        boolean afterClearlyFaster = warmUp.isWarmAfter(22_821);
        boolean afterOneFlat = warmUp.isWarmAfter(20_796);
        boolean afterTwoFlat = warmUp.isWarmAfter(19_074);

        // then: as in the session-5 sweep, warm after its seventh round
        assertThat(afterClearlyFaster).isFalse();
        assertThat(afterOneFlat).isFalse();
        assertThat(afterTwoFlat).isTrue();
    }

    @Test
    void flatEarlyRoundsDoNotEndTheWarmUpBeforeTheMinimum() {
        // given: the session-6 sweep's first rounds, flat while the compilers were still busy
        WarmUp warmUp = afterRounds(10_148, 17_298, 17_843);

        // when
        boolean afterFourRounds = warmUp.isWarmAfter(13_689);
        warmUp.isWarmAfter(14_000);
        boolean afterSixRounds = warmUp.isWarmAfter(15_000);

        // then: two flat rounds at the fourth are not enough; still flat at the sixth is
        assertThat(afterFourRounds).isFalse();
        assertThat(afterSixRounds).isTrue();
    }

    private static WarmUp afterRounds(double... rates) {
        WarmUp warmUp = new WarmUp();
        for (double rate : rates) {
            warmUp.isWarmAfter(rate);
        }
        return warmUp;
    }
}
