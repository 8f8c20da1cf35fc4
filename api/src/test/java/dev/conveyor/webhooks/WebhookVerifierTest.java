package dev.conveyor.webhooks;

import static dev.conveyor.webhooks.WebhookSignatureTest.SPEC_BODY;
import static dev.conveyor.webhooks.WebhookSignatureTest.SPEC_ID;
import static dev.conveyor.webhooks.WebhookSignatureTest.SPEC_SECRET;
import static dev.conveyor.webhooks.WebhookSignatureTest.SPEC_SIGNATURE;
import static dev.conveyor.webhooks.WebhookSignatureTest.SPEC_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    static final byte[] BODY = SPEC_BODY.getBytes(StandardCharsets.UTF_8);
    static final Instant SPEC_TIME = Instant.ofEpochSecond(SPEC_TIMESTAMP);

    static WebhookVerifier verifierAt(Instant now, String... secrets) {
        return new WebhookVerifier(java.util.Arrays.stream(secrets).map(WebhookSecret::parse).toList(),
                WebhookVerifier.DEFAULT_TOLERANCE, Clock.fixed(now, ZoneOffset.UTC));
    }

    static Map<String, String> specHeaders(String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", SPEC_ID);
        headers.put("webhook-timestamp", Long.toString(SPEC_TIMESTAMP));
        headers.put("webhook-signature", signature);
        return headers;
    }

    @Test
    void givenTheSpecificationsTestVectorWhenVerifiedAtItsTimeThenItIsGenuine() throws Exception {
        // given
        WebhookVerifier verifier = verifierAt(SPEC_TIME, SPEC_SECRET);

        // when
        WebhookVerifier.Verified verified = verifier.verify(specHeaders(SPEC_SIGNATURE), BODY);

        // then
        assertThat(verified.id()).isEqualTo(SPEC_ID);
        assertThat(verified.timestamp()).isEqualTo(SPEC_TIME);
    }

    @Test
    void givenHeadersInAnyCaseThenTheyAreFound() throws Exception {
        // given
        Map<String, String> headers = Map.of("Webhook-Id", SPEC_ID, "WEBHOOK-TIMESTAMP", Long.toString(SPEC_TIMESTAMP),
                "Webhook-Signature", SPEC_SIGNATURE);

        // when / then
        assertThat(verifierAt(SPEC_TIME, SPEC_SECRET).verify(headers, BODY).id()).isEqualTo(SPEC_ID);
    }

    @Test
    void givenATamperedBodyThenNoSignatureMatches() {
        // given
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> verifierAt(SPEC_TIME, SPEC_SECRET).verify(specHeaders(SPEC_SIGNATURE), tampered))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("no v1 signature matches");
    }

    @Test
    void givenAnotherSecretThenNoSignatureMatches() {
        // given
        String other = WebhookSecret.generate(new SecureRandom()).encoded();

        // when / then
        assertThatThrownBy(() -> verifierAt(SPEC_TIME, other).verify(specHeaders(SPEC_SIGNATURE), BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void givenSecretRotationThenASignatureByAnyActiveSecretIsAccepted() throws Exception {
        // given a receiver that knows the new secret and the old one, and a sender signing with both (new first)
        String next = WebhookSecret.generate(new SecureRandom()).encoded();
        String signedByBoth = WebhookSignature.header(List.of(WebhookSecret.parse(next), WebhookSecret.parse(SPEC_SECRET)),
                SPEC_ID, SPEC_TIMESTAMP, BODY);

        // when / then: a receiver still on the old secret, one on both and one already on the new one all accept it
        assertThat(verifierAt(SPEC_TIME, SPEC_SECRET).verify(specHeaders(signedByBoth), BODY).id()).isEqualTo(SPEC_ID);
        assertThat(verifierAt(SPEC_TIME, next, SPEC_SECRET).verify(specHeaders(signedByBoth), BODY).id()).isEqualTo(SPEC_ID);
        assertThat(verifierAt(SPEC_TIME, next).verify(specHeaders(signedByBoth), BODY).id()).isEqualTo(SPEC_ID);
    }

    @Test
    void givenSignaturesOfOtherVersionsOrGarbageNextToAValidOneThenTheValidOneCounts() throws Exception {
        // given the specification's "multi sig payload" case
        String header = String.join(" ", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                SPEC_SIGNATURE, "v1,!!not-base64!!", "garbage");

        // when / then
        assertThat(verifierAt(SPEC_TIME, SPEC_SECRET).verify(specHeaders(header), BODY).id()).isEqualTo(SPEC_ID);
    }

    @Test
    void givenAPartialOrEmptySignatureThenItIsRefused() {
        assertThatThrownBy(() -> verifierAt(SPEC_TIME, SPEC_SECRET).verify(specHeaders(SPEC_SIGNATURE.substring(0, 8)), BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verifierAt(SPEC_TIME, SPEC_SECRET).verify(specHeaders("v1,"), BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void givenATimestampOutsideTheToleranceEitherWayThenItIsRefusedButAtTheEdgeItPasses() throws Exception {
        // given
        Duration tolerance = WebhookVerifier.DEFAULT_TOLERANCE;

        // when / then
        assertThatThrownBy(() -> verifierAt(SPEC_TIME.plus(tolerance).plusSeconds(1), SPEC_SECRET).verify(specHeaders(SPEC_SIGNATURE), BODY))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("301 s old");
        assertThatThrownBy(() -> verifierAt(SPEC_TIME.minus(tolerance).minusSeconds(1), SPEC_SECRET).verify(specHeaders(SPEC_SIGNATURE), BODY))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("in the future");
        assertThat(verifierAt(SPEC_TIME.plus(tolerance), SPEC_SECRET).verify(specHeaders(SPEC_SIGNATURE), BODY).id()).isEqualTo(SPEC_ID);
    }

    @Test
    void givenAMissingOrMalformedHeaderThenItIsRefused() {
        for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, String> headers = specHeaders(SPEC_SIGNATURE);
            headers.remove(header);
            assertThatThrownBy(() -> verifierAt(SPEC_TIME, SPEC_SECRET).verify(headers, BODY)).as(header)
                    .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("missing");
        }
        Map<String, String> notANumber = specHeaders(SPEC_SIGNATURE);
        notANumber.put("webhook-timestamp", "hello");
        assertThatThrownBy(() -> verifierAt(SPEC_TIME, SPEC_SECRET).verify(notANumber, BODY))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("not unix seconds");
    }

    @Test
    void givenAVerifierWithoutSecretsThenItCannotBeBuilt() {
        assertThatThrownBy(() -> new WebhookVerifier(List.of(), Duration.ofMinutes(5), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
