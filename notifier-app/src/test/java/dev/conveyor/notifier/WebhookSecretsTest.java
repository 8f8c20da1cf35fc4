package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.webhooks.WebhookSecret;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

    static final String KEY = "WEBHOOK_SECRETS";
    static final SecureRandom RANDOM = new SecureRandom();

    static String secret() {
        return WebhookSecret.generate(RANDOM).encoded();
    }

    @Test
    void givenSecretsForEveryHostAndForOneHostThenEachHostIsSignedByItsOwnGroup() {
        // given
        String a = secret();
        String b = secret();
        String c = secret();

        // when
        WebhookSecrets secrets = WebhookSecrets.parse(KEY, a + ", " + b + " ; Hooks.Example.com=" + c);

        // then
        assertThat(secrets.forHost("anyone.example.org")).containsExactly(WebhookSecret.parse(a), WebhookSecret.parse(b));
        assertThat(secrets.forHost("hooks.example.com")).containsExactly(WebhookSecret.parse(c));
        assertThat(secrets.forHost("HOOKS.example.com.")).containsExactly(WebhookSecret.parse(c));
        assertThat(secrets.signing()).isTrue();
    }

    @Test
    void givenSecretsWhoseBase64EndsInPaddingThenTheyAreNotTakenForHostGroups() {
        // given 25-byte keys: base64 with '=' padding
        byte[] key = new byte[25];
        RANDOM.nextBytes(key);
        String padded = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);

        // when
        WebhookSecrets secrets = WebhookSecrets.parse(KEY, padded + "," + padded + ";[::1]=" + padded);

        // then
        assertThat(padded).endsWith("=");
        assertThat(secrets.forHost("x")).hasSize(2);
        assertThat(secrets.forHost("::1")).hasSize(1);
    }

    @Test
    void givenNoGroupForEveryHostThenTheConfigurationIsRefused() {
        assertThatThrownBy(() -> WebhookSecrets.parse(KEY, "hooks.example.com=" + secret()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(KEY + ": name the secrets for every host first");
        assertThatThrownBy(() -> WebhookSecrets.parse(KEY, secret() + ";" + secret()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group 2 is not host=whsec_");
        assertThatThrownBy(() -> WebhookSecrets.parse(KEY, secret() + ";h=" + secret() + ";H=" + secret()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("two groups of secrets for h");
    }

    @Test
    void givenABadSecretThenTheErrorSaysWhichWithoutShowingIt() {
        // given
        String good = secret();
        String unprefixed = good.substring("whsec_".length());

        // when / then
        assertThatThrownBy(() -> WebhookSecrets.parse(KEY, good + "," + unprefixed))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret 2 of the first group does not start with whsec_")
                .hasMessageNotContaining(unprefixed);
        assertThatThrownBy(() -> WebhookSecrets.parse(KEY, good + ";hooks.example.com=whsec_dG9vc2hvcnQ="))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret 1 of the group of hooks.example.com")
                .hasMessageContaining("24 to 64 bytes").hasMessageNotContaining("dG9vc2hvcnQ");
    }
}
