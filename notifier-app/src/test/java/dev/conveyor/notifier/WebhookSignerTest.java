package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.webhooks.WebhookSecret;
import dev.conveyor.webhooks.WebhookVerificationException;
import dev.conveyor.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:15:30Z");

    static Map<String, String> headers(WebhookSigner.Headers signed) {
        Map<String, String> headers = new HashMap<>();
        signed.forEach(headers::put);
        return headers;
    }

    @Test
    void givenTheSpecificationsSecretAndInputsThenTheSignatureIsTheSpecificationsTestVector() {
        // given
        WebhookSigner signer = new WebhookSigner(WebhookSecrets.parse("WEBHOOK_SECRETS", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                Clock.fixed(Instant.ofEpochSecond(1614265330L), ZoneOffset.UTC));

        // when
        Map<String, String> headers = headers(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", "any.example.com",
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
                "webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    @Test
    void givenARotationAndAHostWithItsOwnSecretThenEachReceiverVerifiesWithWhatItKnows() throws Exception {
        // given
        SecureRandom random = new SecureRandom();
        String next = WebhookSecret.generate(random).encoded();
        String old = WebhookSecret.generate(random).encoded();
        String theirs = WebhookSecret.generate(random).encoded();
        WebhookSigner signer = new WebhookSigner(WebhookSecrets.parse("WEBHOOK_SECRETS", next + "," + old + ";partner.example.com=" + theirs),
                Clock.fixed(NOW, ZoneOffset.UTC));
        byte[] body = "{\"taskId\":\"t-1\"}".getBytes(StandardCharsets.UTF_8);
        Clock receiverClock = Clock.fixed(NOW.plusSeconds(3), ZoneOffset.UTC);

        // when
        Map<String, String> ours = headers(signer.sign("msg_a", "hooks.example.com", body));
        Map<String, String> partners = headers(signer.sign("msg_b", "partner.example.com", body));

        // then
        assertThat(ours.get("webhook-signature").split(" ")).hasSize(2);
        assertThat(partners.get("webhook-signature").split(" ")).hasSize(1);
        assertThat(new WebhookVerifier(List.of(WebhookSecret.parse(old)), WebhookVerifier.DEFAULT_TOLERANCE, receiverClock).verify(ours, body).id())
                .isEqualTo("msg_a");
        assertThat(new WebhookVerifier(List.of(WebhookSecret.parse(next)), WebhookVerifier.DEFAULT_TOLERANCE, receiverClock).verify(ours, body).id())
                .isEqualTo("msg_a");
        assertThat(new WebhookVerifier(List.of(WebhookSecret.parse(theirs)), WebhookVerifier.DEFAULT_TOLERANCE, receiverClock)
                .verify(partners, body).id()).isEqualTo("msg_b");
        assertThatThrownBy(() -> new WebhookVerifier(List.of(WebhookSecret.parse(theirs)), WebhookVerifier.DEFAULT_TOLERANCE, receiverClock)
                .verify(ours, body)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void givenUnsignedWebhooksThenIdAndTimestampAreSentWithoutASignature() {
        // given
        WebhookSigner signer = new WebhookSigner(WebhookSecrets.unsigned(), Clock.fixed(NOW, ZoneOffset.UTC));

        // when
        Map<String, String> headers = headers(signer.sign("msg_a", "hooks.example.com", new byte[0]));

        // then
        assertThat(headers).containsOnlyKeys("webhook-id", "webhook-timestamp").containsEntry("webhook-timestamp",
                Long.toString(NOW.getEpochSecond()));
    }
}
