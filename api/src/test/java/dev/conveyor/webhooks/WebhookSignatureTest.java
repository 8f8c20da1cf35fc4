package dev.conveyor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The test vector of the specification's reference libraries (libraries/javascript/src/webhook.test.ts, "sign function works"). */
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330L;
    static final String SPEC_BODY = "{\"test\": 2432232314}";
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void givenTheSpecificationsTestVectorWhenSignedThenTheSignatureIsTheSpecifications() {
        // given
        WebhookSecret secret = WebhookSecret.parse(SPEC_SECRET);

        // when
        String signature = WebhookSignature.sign(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(signature).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void givenTwoActiveSecretsWhenTheHeaderIsBuiltThenItCarriesOneSignaturePerSecretSpaceSeparated() {
        // given
        WebhookSecret current = WebhookSecret.parse(SPEC_SECRET);
        WebhookSecret next = WebhookSecret.generate(new SecureRandom());
        byte[] body = SPEC_BODY.getBytes(StandardCharsets.UTF_8);

        // when
        String header = WebhookSignature.header(List.of(current, next), SPEC_ID, SPEC_TIMESTAMP, body);

        // then
        assertThat(header.split(" ")).containsExactly(SPEC_SIGNATURE, WebhookSignature.sign(next, SPEC_ID, SPEC_TIMESTAMP, body));
    }

    @Test
    void givenSecretsWithAndWithoutThePrefixThenBothReadTheSameKey() {
        assertThat(WebhookSecret.parse(SPEC_SECRET)).isEqualTo(WebhookSecret.parse(SPEC_SECRET.substring("whsec_".length())));
    }

    @Test
    void givenAGeneratedSecretThenItsEncodedFormReadsBackAndItsTextHidesTheKey() {
        // given
        WebhookSecret secret = WebhookSecret.generate(new SecureRandom());

        // when / then
        assertThat(WebhookSecret.parse(secret.encoded())).isEqualTo(secret);
        assertThat(secret.encoded()).startsWith("whsec_");
        assertThat(secret.toString()).doesNotContain(secret.encoded().substring(6)).contains("hidden");
    }

    @Test
    void givenSecretsThatAreNotBase64OrTooShortOrTooLongThenTheyAreRefused() {
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[65])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this one 65");
        assertThatThrownBy(() -> WebhookSecret.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
