package dev.conveyor.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fe80::1", "2001:db8::8a2e:370:7334",
            "1:2:3:4:5:6:7:8", "::ffff:127.0.0.1", "64:ff9b::192.0.2.33", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "FE80::A"})
    void givenAddressTextWhenParsedThenItHasTheBytesTheJdkReadsToo(String text) throws Exception {
        // given / when
        byte[] bytes = IpLiterals.parse(text).orElseThrow();

        // then: the JDK agrees (it turns IPv4-mapped IPv6 into IPv4, so compare what it keeps)
        byte[] jdk = InetAddress.getByName(text).getAddress();
        byte[] comparable = bytes.length == 16 && jdk.length == 4 ? java.util.Arrays.copyOfRange(bytes, 12, 16) : bytes;
        assertThat(comparable).isEqualTo(jdk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1", "127.000.000.001", "01.2.3.4",
            "256.0.0.1", "1.2.3.4.5", "1.2.3", "", "localhost", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", "12345::", "::g",
            "fe80::1%eth0", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:0x7f.1"})
    void givenTextThatIsNoStrictAddressThenItDoesNotParse(String text) {
        assertThat(IpLiterals.parse(text)).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "0x7f.1", "127.1", "0177.0.0.1", "127.0.0.1", "127.0.0.1.", "1.2.3.4.5", "0",
            "example.0x", "a.123"})
    void givenAHostWhoseLastLabelIsANumberThenItIsNumeric(String host) {
        assertThat(IpLiterals.hasNumericLastLabel(host)).as(host).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "1password.com", "0x7f.example", "123.example", "hooks.internal."})
    void givenAHostWhoseLastLabelIsANameThenItIsNotNumeric(String host) {
        assertThat(IpLiterals.hasNumericLastLabel(host)).as(host).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"::, ::", "::1, ::1", "fe80:0:0:0:0:0:0:1, fe80::1", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "::ffff:a9fe:a9fe, ::ffff:169.254.169.254", "64:ff9b::7f00:1, 64:ff9b::7f00:1"})
    void givenIpv6BytesWhenFormattedThenTheTextIsRfc5952(String text, String formatted) {
        assertThat(IpLiterals.format(IpLiterals.parse(text).orElseThrow())).isEqualTo(formatted);
    }

    @Test
    void givenIpv4BytesWhenFormattedThenTheTextIsADottedQuad() {
        assertThat(IpLiterals.format(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254})).isEqualTo("169.254.169.254");
    }
}
