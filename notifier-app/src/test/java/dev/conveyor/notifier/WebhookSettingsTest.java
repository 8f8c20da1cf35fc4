package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    static final String SECRET = WebhookTestChannels.SECRET;

    static WebhookSettings load(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return WebhookSettings.load(Env.of(env));
    }

    @Test
    void givenASecretAloneThenTheDefaultsApplyAndWebhooksAreSigned() {
        // given / when
        WebhookSettings settings = load("WEBHOOK_SECRETS", SECRET);

        // then
        assertThat(settings.timeout()).isEqualTo(WebhookSettings.DEFAULT_TIMEOUT);
        assertThat(settings.connectTimeout()).isEqualTo(WebhookSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(settings.allowed().isEmpty()).isTrue();
        assertThat(settings.secrets().signing()).isTrue();
    }

    @Test
    void givenNoSecretThenTheNotifierDoesNotStartUnlessSigningIsTurnedOffExplicitly() {
        assertThatThrownBy(() -> load()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("WEBHOOK_SECRETS: set at least one signing secret").hasMessageContaining("WEBHOOK_SIGNING=none");
        assertThat(load("WEBHOOK_SIGNING", "none").secrets().signing()).isFalse();
    }

    @Test
    void givenSigningOffAndASecretOrAnUnknownModeThenTheConfigurationIsRefused() {
        assertThatThrownBy(() -> load("WEBHOOK_SIGNING", "none", "WEBHOOK_SECRETS", SECRET))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_SIGNING: is none but WEBHOOK_SECRETS is set");
        assertThatThrownBy(() -> load("WEBHOOK_SIGNING", "v2", "WEBHOOK_SECRETS", SECRET))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_SIGNING: 'v2' is neither v1 nor none");
    }

    @Test
    void givenTimeoutsThenTheConnectTimeoutMustBePositiveAndFitInTheAttemptTimeout() {
        assertThat(load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_TIMEOUT", "10s", "WEBHOOK_CONNECT_TIMEOUT", "500ms").connectTimeout())
                .isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_TIMEOUT", "1s", "WEBHOOK_CONNECT_TIMEOUT", "2s"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_CONNECT_TIMEOUT: PT2S is longer than WEBHOOK_TIMEOUT");
        assertThatThrownBy(() -> load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_TIMEOUT", "0s"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_TIMEOUT: must be positive");
        assertThatThrownBy(() -> load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_CONNECT_TIMEOUT", "0ms"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_CONNECT_TIMEOUT: must be positive");
    }

    @Test
    void givenAnAllowlistThenItsEntriesAreRead() {
        // given / when
        WebhookSettings settings = load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8, hooks.internal:8443");

        // then
        assertThat(settings.allowed().isEmpty()).isFalse();
        assertThatThrownBy(() -> load("WEBHOOK_SECRETS", SECRET, "WEBHOOK_ALLOWED_NETWORKS", "10.1.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("WEBHOOK_ALLOWED_NETWORKS: ");
    }
}
