package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.DeliveryAttempt;
import dev.conveyor.DeliveryBlockedException;
import dev.conveyor.NotificationChannel;
import dev.conveyor.RecordOutcome;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.schema.TaskResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ResultNotifierTest {

    /** A channel that records the attempts it is given, and blocks when told to. */
    static final class Recording implements NotificationChannel {
        final List<DeliveryAttempt> attempts = new CopyOnWriteArrayList<>();
        final boolean block;

        Recording(boolean block) {
            this.block = block;
        }

        @Override
        public String name() {
            return "webhook";
        }

        @Override
        public boolean accepts(TaskResult result) {
            return true;
        }

        @Override
        public void deliver(TaskResult result) {
            throw new AssertionError("the notifier passes the attempt");
        }

        @Override
        public void deliver(TaskResult result, DeliveryAttempt attempt) throws DeliveryBlockedException {
            attempts.add(attempt);
            if (block) {
                throw new DeliveryBlockedException("webhook http://169.254.169.254/ not sent: 169.254.169.254 is link-local (169.254.0.0/16)",
                        "link-local");
            }
        }
    }

    static ConsumerRecord<String, TaskResult> record(TaskResult result, long run) {
        ConsumerRecord<String, TaskResult> record = new ConsumerRecord<>("tasks.results", 0, 7L, result.getKey(), result);
        if (run != 0) {
            record.headers().add(TaskHeaders.RUN, Long.toString(run).getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    @Test
    void givenABlockedDeliveryThenItIsDeadLetteredAtOnceAsBlockedAndCountedByRule() throws Exception {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ResultNotifier notifier = new ResultNotifier(List.of(new Recording(true)), 5, meters);

        // when
        RecordOutcome outcome = notifier.process(record(WebhookTestChannels.result("http://169.254.169.254/"), 0));

        // then
        assertThat(outcome).isInstanceOfSatisfying(RecordOutcome.GiveUp.class, giveUp -> {
            assertThat(giveUp.reason()).isEqualTo(DeadLetterReason.DELIVERY_BLOCKED);
            assertThat(giveUp.error()).contains("169.254.169.254 is link-local (169.254.0.0/16)");
            assertThat(giveUp.channel()).isEqualTo("webhook");
        });
        assertThat(meters.get("conveyor.webhooks.blocked").tags("channel", "webhook", "rule", "link-local").counter().count()).isEqualTo(1);
        assertThat(meters.get("conveyor.results.notified").tags("channel", "webhook", "outcome", "blocked").counter().count()).isEqualTo(1);
    }

    @Test
    void givenAResultOfAReplayedRunThenTheChannelIsToldTheRunAndSoAnotherDeliveryId() throws Exception {
        // given
        Recording channel = new Recording(false);
        ResultNotifier notifier = new ResultNotifier(List.of(channel), 5, new SimpleMeterRegistry());
        TaskResult result = WebhookTestChannels.result("https://hooks.example.com/");

        // when
        notifier.process(record(result, 0));
        notifier.process(record(result, 1_767_225_600_000L));

        // then
        assertThat(channel.attempts).extracting(DeliveryAttempt::run).containsExactly(0L, 1_767_225_600_000L);
        assertThat(channel.attempts).extracting(DeliveryAttempt::attempt).containsExactly(1, 1);
        assertThat(channel.attempts.get(0).deliveryId()).isNotEqualTo(channel.attempts.get(1).deliveryId());
    }
}
