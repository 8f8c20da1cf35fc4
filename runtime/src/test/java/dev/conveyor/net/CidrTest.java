package dev.conveyor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void givenAnIpv4BlockThenItHoldsExactlyItsAddresses() throws Exception {
        // given
        Cidr block = Cidr.parse("172.16.0.0/12");

        // when / then
        assertThat(block.contains(InetAddress.getByName("172.16.0.0"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.15.255.255"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
    }

    @Test
    void givenAnIpv6BlockWithAPrefixInsideAByteThenItHoldsExactlyItsAddresses() throws Exception {
        // given
        Cidr block = Cidr.parse("fe80::/10");

        // when / then
        assertThat(block.contains(InetAddress.getByName("fe80::1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("febf:ffff::1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("fec0::1"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("fe7f::1"))).isFalse();
    }

    @Test
    void givenABlockOfOneFamilyThenAddressesOfTheOtherAreOutsideIt() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void givenASingleAddressThenItIsAFullLengthBlock() {
        assertThat(Cidr.parse("127.0.0.1")).hasToString("127.0.0.1/32");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("0.0.0.0/0")).hasToString("0.0.0.0/0");
    }

    @Test
    void givenBitsPastThePrefixOrABadPrefixOrNoAddressThenItIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Cidr.parse("10.1.0.0/8")).hasMessageContaining("the block is 10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length of 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("fd00::/129")).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse("hooks.internal/8")).hasMessageContaining("not an IPv4 or IPv6 address");
    }
}
