package dev.conveyor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlTest {

    @Test
    void givenAnHttpsUrlThenItsHostAndDefaultPortAreRead() throws Exception {
        // given / when
        CallbackUrl url = CallbackUrl.parse("https://hooks.example.com/conveyor?tenant=acme");

        // then
        assertThat(url.host()).isEqualTo("hooks.example.com");
        assertThat(url.port()).isEqualTo(443);
        assertThat(url.literalAddress()).isEmpty();
        assertThat(CallbackUrl.parse("http://[2606:4700::1]:8080/x").host()).isEqualTo("2606:4700::1");
        assertThat(CallbackUrl.parse("http://hooks.example.com/x").port()).isEqualTo(80);
    }

    @ParameterizedTest
    @CsvSource({
            "ftp://hooks.example.com/x,              scheme",
            "file:///etc/passwd,                     scheme",
            "gopher://127.0.0.1:6379/_x,             scheme",
            "/relative/path,                         scheme",
            "http://user:pass@hooks.example.com/x,   user-info",
            "http://hooks.example.com@127.0.0.1/x,   user-info",
            "http://2130706433/,                     numeric-host",
            "http://0x7f000001/,                     numeric-host",
            "http://0x7f.1/,                         numeric-host",
            "http://127.1/,                          numeric-host",
            "http://0177.0.0.1/,                     numeric-host",
            "http://127.000.000.001/,                numeric-host",
            "http://127.0.0.1./,                     numeric-host",
            "http://0/,                              numeric-host",
            "http://user@127.1/,                     numeric-host",
            "http://,                                malformed",
            "http://exa mple.com/,                   malformed",
            "http:///x,                              malformed",
    })
    void givenAUrlInAFormNoWebhookTakesThenItIsRefusedNamingTheRule(String text, String rule) {
        assertThatThrownBy(() -> CallbackUrl.parse(text)).as(text)
                .isInstanceOf(InvalidCallbackUrlException.class)
                .satisfies(e -> assertThat(((InvalidCallbackUrlException) e).rule()).isEqualTo(rule));
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8080/internal-admin,     127.0.0.1 is loopback (127.0.0.0/8)",
            "http://169.254.169.254/latest/meta-data/, 169.254.169.254 is link-local (169.254.0.0/16)",
            "http://10.0.0.5/,                         10.0.0.5 is private (10.0.0.0/8)",
            "http://0.0.0.0:8080/,                     0.0.0.0 is unspecified (0.0.0.0/32)",
            "http://[::1]/,                            ::1 is loopback (::1/128)",
            "http://[::]/,                             :: is unspecified (::/128)",
            "http://[::ffff:127.0.0.1]/,               127.0.0.1 is loopback (127.0.0.0/8)",
            "http://[::ffff:a9fe:a9fe]/,               169.254.169.254 is link-local (169.254.0.0/16)",
            "http://[::127.0.0.1]/,                    ::7f00:1 is loopback (127.0.0.0/8): the IPv4-compatible form of 127.0.0.1 (::/96)",
            "http://[64:ff9b::7f00:1]/,                64:ff9b::7f00:1 is loopback (127.0.0.0/8): the NAT64 form of 127.0.0.1 (64:ff9b::/96)",
            "http://[fe80::1]/,                        fe80::1 is link-local (fe80::/10)",
            "http://[fd00::1]/,                        fd00::1 is unique-local (fc00::/7)",
    })
    void givenALiteralBlockedAddressThenThePublicOnlyPolicyBlocksIt(String text, String reason) throws Exception {
        assertThat(CallbackUrl.parse(text).blockedLiteral(AddressPolicy.publicOnly()))
                .hasValueSatisfying(blocked -> assertThat(blocked.describe()).isEqualTo(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/x", "http://localhost:8080/x", "http://8.8.8.8/x", "http://[2606:4700::1111]/x"})
    void givenAPublicAddressOrAHostNameThenNoLiteralIsBlocked(String text) throws Exception {
        // a host name is judged where it is resolved, by the notifier
        assertThat(CallbackUrl.parse(text).blockedLiteral(AddressPolicy.publicOnly())).isEmpty();
    }

    @Test
    void givenAnAllowlistedLiteralThenItIsNotBlocked() throws Exception {
        // given
        AddressPolicy policy = new AddressPolicy(AllowedNetworks.parse("WEBHOOK_ALLOWED_NETWORKS", List.of("127.0.0.1:8080")));

        // when / then
        assertThat(CallbackUrl.parse("http://127.0.0.1:8080/hook").blockedLiteral(policy)).isEmpty();
        assertThat(CallbackUrl.parse("http://127.0.0.1:8081/hook").blockedLiteral(policy)).isPresent();
    }
}
