package dev.conveyor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollSizeTest {

    @Test
    void aPollBringsAQuarterOfTheInFlightLimitSoACrashRedoesAboutTheLimit() {
        // given the notifier's default limit, a small one and the smallest
        // when a poll is sized for each
        // then it brings a quarter of the limit, never nothing
        assertThat(TaskConsumer.maxPollRecords(256)).isEqualTo(64);
        assertThat(TaskConsumer.maxPollRecords(8)).isEqualTo(2);
        assertThat(TaskConsumer.maxPollRecords(1)).isEqualTo(1);
    }

    @Test
    void aLargeLimitKeepsKafkasDefaultPollOf500() {
        // given the processor's default limit and a sized run's
        // then polls stay at Kafka's default
        assertThat(TaskConsumer.maxPollRecords(ConsumerSettings.DEFAULT_MAX_IN_FLIGHT)).isEqualTo(500);
        assertThat(TaskConsumer.maxPollRecords(16_384)).isEqualTo(500);
    }
}
