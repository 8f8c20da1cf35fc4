package dev.conveyor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryAttemptTest {

    @Test
    void givenAttemptsOfOneDeliveryThenTheyShareTheirIdAndAnyOtherDeliveryHasAnother() {
        // given
        String task = "0190f5a2-7c1e-7b3a-9a55-2f1d3c4b5a69";
        DeliveryAttempt first = new DeliveryAttempt(task, 0, "webhook", 1);

        // when / then: retries keep the id
        assertThat(new DeliveryAttempt(task, 0, "webhook", 4).deliveryId()).isEqualTo(first.deliveryId());
        // a replayed run, another channel or another task is another delivery
        assertThat(new DeliveryAttempt(task, 1_767_000_000_000L, "webhook", 1).deliveryId()).isNotEqualTo(first.deliveryId());
        assertThat(new DeliveryAttempt(task, 0, "webhook-eu", 1).deliveryId()).isNotEqualTo(first.deliveryId());
        assertThat(new DeliveryAttempt(task.replace('9', '8'), 0, "webhook", 1).deliveryId()).isNotEqualTo(first.deliveryId());
    }

    @Test
    void givenAnyDeliveryThenItsIdIsMsgAndUrlSafeBase64WithoutDots() {
        assertThat(new DeliveryAttempt("a.b.c", 7, "x.y", 1).deliveryId()).matches("msg_[A-Za-z0-9_-]{24}");
    }
}
