package dev.conveyor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedNetworksTest {

    static final String KEY = "WEBHOOK_ALLOWED_NETWORKS";

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void givenANetworkThenEveryAddressInItIsAllowedOnAnyPortForAnyHost() throws Exception {
        // given
        AllowedNetworks allowed = AllowedNetworks.parse(KEY, List.of("10.20.0.0/16"));

        // when / then
        assertThat(allowed.allows("hooks.internal", 443, ip("10.20.3.4"))).isTrue();
        assertThat(allowed.allows("10.20.255.1", 8080, ip("10.20.255.1"))).isTrue();
        assertThat(allowed.allows("hooks.internal", 443, ip("10.21.0.1"))).isFalse();
    }

    @Test
    void givenAnAddressWithAPortThenOnlyThatAddressAndPortAreAllowed() throws Exception {
        // given
        AllowedNetworks allowed = AllowedNetworks.parse(KEY, List.of("127.0.0.1:8080", "[::1]:9090"));

        // when / then
        assertThat(allowed.allows("127.0.0.1", 8080, ip("127.0.0.1"))).isTrue();
        assertThat(allowed.allows("127.0.0.1", 8081, ip("127.0.0.1"))).isFalse();
        assertThat(allowed.allows("127.0.0.2", 8080, ip("127.0.0.2"))).isFalse();
        assertThat(allowed.allows("[::1]", 9090, ip("::1"))).isTrue();
        assertThat(allowed.allows("::1", 8080, ip("::1"))).isFalse();
    }

    @Test
    void givenAHostNameThenWhatItResolvesToIsAllowedForThatHostOnly() throws Exception {
        // given
        AllowedNetworks allowed = AllowedNetworks.parse(KEY, List.of("Hooks.Internal", "localhost:7000"));

        // when / then
        assertThat(allowed.allows("hooks.internal", 443, ip("10.1.2.3"))).isTrue();
        assertThat(allowed.allows("HOOKS.internal.", 80, ip("10.1.2.3"))).as("case and a trailing dot do not matter").isTrue();
        assertThat(allowed.allows("other.internal", 443, ip("10.1.2.3"))).as("the same address by another name").isFalse();
        assertThat(allowed.allows("localhost", 7000, ip("127.0.0.1"))).isTrue();
        assertThat(allowed.allows("localhost", 7001, ip("127.0.0.1"))).isFalse();
    }

    @Test
    void givenIpv6NetworksWithAndWithoutBracketsThenBothRead() throws Exception {
        // given
        AllowedNetworks allowed = AllowedNetworks.parse(KEY, List.of("fd00::/8", "[fe80::/10]:8443"));

        // when / then
        assertThat(allowed.allows("x", 1, ip("fd12::1"))).isTrue();
        assertThat(allowed.allows("x", 8443, ip("fe80::1"))).isTrue();
        assertThat(allowed.allows("x", 8444, ip("fe80::1"))).isFalse();
    }

    @Test
    void givenNoEntriesThenNothingIsAllowed() throws Exception {
        assertThat(AllowedNetworks.none().allows("localhost", 80, ip("127.0.0.1"))).isFalse();
        assertThat(AllowedNetworks.parse(KEY, List.of()).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/8", "10.0.0.0/40", "under_score.example", "2130706433", "0x7f.1", "127.1", "host:0", "host:70000",
            "[::1", "[::1]x", "-bad.example", "a..b", "http://hooks.internal"})
    void givenAnEntryThatIsNoNetworkAddressOrHostThenTheConfigurationIsRefusedNamingTheVariable(String entry) {
        assertThatThrownBy(() -> AllowedNetworks.parse(KEY, List.of(entry)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(KEY + ": ").hasMessageContaining(entry);
    }
}
