package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    @Test
    void givenNoKeysThenAuthenticationBeingOnByDefaultRefusesTheStartNamingBothVariablesAndTheWayOut() {
        assertThatThrownBy(() -> AuthSettings.load(Env.of(Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("API_KEYS_FILE:").hasMessageContaining("API_KEYS to key lines").hasMessageContaining("AUTH=none");
    }

    @Test
    void givenKeysOrAuthNoneThenTheSettingsSayWhatWasConfigured() {
        NewApiKey key = NewApiKey.generate("env", EnumSet.of(Scope.READ), "", 0);

        AuthSettings inline = AuthSettings.load(Env.of(Map.of("API_KEYS", key.line(), "METRICS_AUTH", "true")));
        AuthSettings file = AuthSettings.load(Env.of(Map.of("API_KEYS_FILE", "/etc/conveyor/keys")));
        AuthSettings none = AuthSettings.load(Env.of(Map.of("AUTH", "NONE")));

        assertThat(inline.enabled()).isTrue();
        assertThat(inline.inlineKeys()).extracting(ApiKey::id).containsExactly("env");
        assertThat(inline.metricsAuth()).isTrue();
        assertThat(file.keysFile()).hasToString("/etc/conveyor/keys");
        assertThat(none.enabled()).isFalse();
    }

    @Test
    void givenValuesThatCannotBeUsedThenTheErrorNamesTheVariable() {
        assertThatThrownBy(() -> AuthSettings.load(Env.of(Map.of("AUTH", "basic")))).hasMessageStartingWith("AUTH: 'basic'");
        assertThatThrownBy(() -> AuthSettings.load(Env.of(Map.of("API_KEYS", "x:y")))).hasMessageStartingWith("API_KEYS: line 1");
        assertThatThrownBy(() -> AuthSettings.load(Env.of(Map.of("AUTH", "none", "METRICS_AUTH", "true"))))
                .hasMessageStartingWith("METRICS_AUTH:");
    }
}
