package dev.conveyor.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlockedNetworksTest {

    static Optional<BlockedAddress> match(String address) {
        return BlockedNetworks.match(IpLiterals.parse(address).orElseThrow(() -> new AssertionError(address + " does not parse")));
    }

    @ParameterizedTest(name = "{0} is {1} ({2})")
    @CsvSource({
            // IPv4: every block, at its first and last address and somewhere inside
            "0.0.0.0,         unspecified,       0.0.0.0/32",
            "0.1.2.3,         this-network,      0.0.0.0/8",
            "0.255.255.255,   this-network,      0.0.0.0/8",
            "10.0.0.0,        private,           10.0.0.0/8",
            "10.255.255.255,  private,           10.0.0.0/8",
            "100.64.0.0,      carrier-grade-nat, 100.64.0.0/10",
            "100.127.255.255, carrier-grade-nat, 100.64.0.0/10",
            "127.0.0.1,       loopback,          127.0.0.0/8",
            "127.255.255.254, loopback,          127.0.0.0/8",
            "169.254.169.254, link-local,        169.254.0.0/16",
            "169.254.0.0,     link-local,        169.254.0.0/16",
            "172.16.0.0,      private,           172.16.0.0/12",
            "172.31.255.255,  private,           172.16.0.0/12",
            "192.0.0.8,       ietf-protocol,     192.0.0.0/24",
            "192.0.0.170,     ietf-protocol,     192.0.0.0/24",
            "192.0.2.1,       documentation,     192.0.2.0/24",
            "192.88.99.1,     6to4-relay,        192.88.99.0/24",
            "192.168.0.1,     private,           192.168.0.0/16",
            "192.168.255.255, private,           192.168.0.0/16",
            "198.18.0.1,      benchmarking,      198.18.0.0/15",
            "198.19.255.255,  benchmarking,      198.18.0.0/15",
            "198.51.100.7,    documentation,     198.51.100.0/24",
            "203.0.113.9,     documentation,     203.0.113.0/24",
            "224.0.0.1,       multicast,         224.0.0.0/4",
            "239.255.255.250, multicast,         224.0.0.0/4",
            "240.0.0.1,       reserved,          240.0.0.0/4",
            "255.255.255.254, reserved,          240.0.0.0/4",
            "255.255.255.255, broadcast,         255.255.255.255/32",
            // IPv6
            "::,              unspecified,       ::/128",
            "::1,             loopback,          ::1/128",
            "64:ff9b:1::1,    nat64-local,       64:ff9b:1::/48",
            "100::1,          discard-only,      100::/64",
            "100:0:0:1::1,    dummy,             100:0:0:1::/64",
            "2001::1,         ietf-protocol,     2001::/23",
            "2001:2::1,       ietf-protocol,     2001::/23",
            "2001:db8::1,     documentation,     2001:db8::/32",
            "3fff::1,         documentation,     3fff::/20",
            "5f00::1,         segment-routing,   5f00::/16",
            "fc00::1,         unique-local,      fc00::/7",
            "fd12:3456::1,    unique-local,      fc00::/7",
            "fe80::1,         link-local,        fe80::/10",
            "febf::1,         link-local,        fe80::/10",
            "fec0::1,         site-local,        fec0::/10",
            "ff02::1,         multicast,         ff00::/8",
            "4000::1,         reserved,          2000::/3",
            "::2:0:0:1,       reserved,          2000::/3",
    })
    void givenAnAddressInASpecialPurposeBlockWhenMatchedThenItIsBlockedNamingTheBlock(String address, String rule, String range) {
        // given / when
        Optional<BlockedAddress> blocked = match(address);

        // then
        assertThat(blocked).as(address).isPresent();
        assertThat(blocked.get().rule()).isEqualTo(rule);
        assertThat(blocked.get().range()).hasToString(range);
        assertThat(blocked.get().form()).isNull();
    }

    @ParameterizedTest(name = "{0} leads to {1}")
    @CsvSource({
            "::ffff:127.0.0.1,       loopback,     127.0.0.0/8,    IPv4-mapped",
            "::ffff:a9fe:a9fe,       link-local,   169.254.0.0/16, IPv4-mapped",
            "::ffff:10.1.2.3,        private,      10.0.0.0/8,     IPv4-mapped",
            "::ffff:0.0.0.0,         unspecified,  0.0.0.0/32,     IPv4-mapped",
            "::127.0.0.1,            loopback,     127.0.0.0/8,    IPv4-compatible",
            "::169.254.169.254,      link-local,   169.254.0.0/16, IPv4-compatible",
            "::192.168.1.1,          private,      192.168.0.0/16, IPv4-compatible",
            "64:ff9b::127.0.0.1,     loopback,     127.0.0.0/8,    NAT64",
            "64:ff9b::a9fe:a9fe,     link-local,   169.254.0.0/16, NAT64",
            "64:ff9b::100.64.0.1,    carrier-grade-nat, 100.64.0.0/10, NAT64",
            "2002:7f00:1::1,         loopback,     127.0.0.0/8,    6to4",
            "2002:a9fe:a9fe::,       link-local,   169.254.0.0/16, 6to4",
    })
    void givenABlockedIpv4AddressEmbeddedInIpv6WhenMatchedThenItIsBlockedAsTheIpv4AddressItLeadsTo(String address, String rule,
                                                                                                      String range, String form) {
        // given / when
        Optional<BlockedAddress> blocked = match(address);

        // then
        assertThat(blocked).as(address).isPresent();
        assertThat(blocked.get().rule()).isEqualTo(rule);
        assertThat(blocked.get().range()).hasToString(range);
        assertThat(blocked.get().form()).startsWith("the " + form + " form of ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.1.255", "192.0.3.0", "192.31.196.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1", "126.255.255.255",
            "128.0.0.1", "169.253.255.255", "169.255.0.0", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8", "2002:808:808::1"})
    void givenAPublicAddressWhenMatchedThenItIsNotBlocked(String address) {
        assertThat(match(address)).as(address).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::8.8.8.8", "::1.2.3.4"})
    void givenAPublicAddressInTheDeprecatedIpv4CompatibleFormThenItIsBlockedAsSuch(String address) {
        assertThat(match(address)).hasValueSatisfying(blocked -> assertThat(blocked.rule()).isEqualTo("ipv4-compatible"));
    }

    @org.junit.jupiter.api.Test
    void givenTheCloudMetadataAddressThenTheReasonNamesTheAddressTheRuleAndTheBlock() {
        assertThat(match("169.254.169.254").orElseThrow().describe()).isEqualTo("169.254.169.254 is link-local (169.254.0.0/16)");
        assertThat(match("fd00:ec2::254").orElseThrow().describe()).isEqualTo("fd00:ec2::254 is unique-local (fc00::/7)");
        assertThat(match("64:ff9b::a9fe:a9fe").orElseThrow().describe())
                .isEqualTo("64:ff9b::a9fe:a9fe is link-local (169.254.0.0/16): the NAT64 form of 169.254.169.254 (64:ff9b::/96)");
        assertThat(match("::ffff:127.0.0.1").orElseThrow().describe())
                .isEqualTo("::ffff:127.0.0.1 is loopback (127.0.0.0/8): the IPv4-mapped form of 127.0.0.1 (::ffff:0:0/96)");
    }
}
