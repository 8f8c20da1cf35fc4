package dev.conveyor.notifier;

import static dev.conveyor.notifier.NotifierFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.webhooks.WebhookSecret;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real notifier with an empty allowlist refuses callbacks that lead to internal addresses: each is
 * dead-lettered as DELIVERY_BLOCKED on its first attempt, never retried, and the receiver listening
 * there gets nothing.
 */
class WebhookBlockedIT {

    static NotifierFixture notifier;
    static CapturingReceiver internalAdmin;

    @BeforeAll
    static void start() {
        internalAdmin = CapturingReceiver.start();
        notifier = NotifierFixture.start(Map.of(
                "NOTIFIER_GROUP_ID", "webhook-blocked-it",
                "NOTIFIER_CHANNELS", "webhook",
                WebhookSettings.SECRETS, WebhookSecret.generate(new SecureRandom()).encoded()));
    }

    @AfterAll
    static void stop() {
        notifier.close();
        internalAdmin.close();
    }

    @Test
    void givenCallbacksLeadingToInternalAddressesWhenDeliveredThenEachIsDeadLetteredAsBlockedOnceAndNothingIsSent() throws Exception {
        // given an internal service listening on loopback, and callbacks that lead to it or to the cloud metadata address
        int port = internalAdmin.port();
        Map<TaskResult, String> reasons = Map.of(
                result("http://127.0.0.1:" + port + "/internal-admin"), "127.0.0.1 is loopback (127.0.0.0/8)",
                result("http://localhost:" + port + "/internal-admin"), "localhost resolves to ",
                result("http://[::ffff:127.0.0.1]:" + port + "/internal-admin"), "resolves to 127.0.0.1 is loopback (127.0.0.0/8)",
                result("http://169.254.169.254/latest/meta-data/iam/security-credentials/"), "169.254.169.254 is link-local (169.254.0.0/16)",
                result("http://2130706433:" + port + "/internal-admin"), "is a number that resolvers read as an address");

        // when
        reasons.keySet().forEach(notifier::publish);

        // then
        await().atMost(Duration.ofSeconds(30)).until(() -> reasons.keySet().stream().allMatch(r -> notifier.letterOf(r).isPresent()));
        reasons.forEach((result, reason) -> {
            DeadLetter letter = notifier.letterOf(result).orElseThrow();
            assertThat(letter.getReason()).as(result.getCallbackUrl()).isEqualTo("DELIVERY_BLOCKED");
            assertThat(letter.getError()).as(result.getCallbackUrl()).contains("DeliveryBlockedException").contains(reason);
            assertThat(letter.getHistory()).as("one attempt, never retried").extracting(AttemptFailure::getAttempt).containsExactly(1);
            assertThat(notifier.retriesOf(result)).as("nothing waits in a delivery tier").isEmpty();
        });
        assertThat(internalAdmin.requests()).isEmpty();
        assertThat(notifier.metrics())
                .contains("conveyor_webhooks_blocked_total{channel=\"webhook\",rule=\"loopback\"}")
                .contains("conveyor_webhooks_blocked_total{channel=\"webhook\",rule=\"link-local\"}")
                .contains("conveyor_webhooks_blocked_total{channel=\"webhook\",rule=\"numeric-host\"}")
                .contains("conveyor_records_dead_lettered_total{reason=\"DELIVERY_BLOCKED\",topic=\"tasks.results\"}");
    }
}
