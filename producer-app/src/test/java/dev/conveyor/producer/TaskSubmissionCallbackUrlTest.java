package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway's early refusal of callback URLs no webhook is sent to; the HTTP gateway and the Java client share it. */
class TaskSubmissionCallbackUrlTest {

    static TaskSubmission withCallback(String url) {
        return new TaskSubmission("echo", null, "{}", url, null, null, null, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ftp://hooks.example.com/x                 | must be an absolute http(s) URL",
            "javascript:alert(1)                       | must be an absolute http(s) URL",
            "hooks.example.com/x                       | must be an absolute http(s) URL",
            "https://user:secret@hooks.example.com/x   | must not carry user info",
            "http://127.0.0.1:8080/internal-admin      | 127.0.0.1 is loopback (127.0.0.0/8)",
            "http://169.254.169.254/latest/meta-data/  | 169.254.169.254 is link-local (169.254.0.0/16)",
            "http://10.1.2.3/                          | 10.1.2.3 is private (10.0.0.0/8)",
            "http://172.20.0.1/                        | 172.20.0.1 is private (172.16.0.0/12)",
            "http://192.168.1.1/                       | 192.168.1.1 is private (192.168.0.0/16)",
            "http://100.100.100.200/                   | 100.100.100.200 is carrier-grade NAT shared address space (100.64.0.0/10)",
            "http://0.0.0.0:9000/                      | 0.0.0.0 is unspecified (0.0.0.0/32)",
            "http://[::1]:8080/                        | ::1 is loopback (::1/128)",
            "http://[::]/                              | :: is unspecified (::/128)",
            "http://[fe80::1]/                         | fe80::1 is link-local (fe80::/10)",
            "http://[fd00:ec2::254]/                   | fd00:ec2::254 is unique-local (fc00::/7)",
            "http://[::ffff:127.0.0.1]/                | 127.0.0.1 is loopback (127.0.0.0/8)",
            "http://[::ffff:169.254.169.254]/          | 169.254.169.254 is link-local (169.254.0.0/16)",
            "http://[::127.0.0.1]/                     | the IPv4-compatible form of 127.0.0.1",
            "http://[64:ff9b::169.254.169.254]/        | the NAT64 form of 169.254.169.254",
            "http://224.0.0.1/                         | multicast",
            "http://255.255.255.255/                   | the limited broadcast address",
            "http://2130706433/                        | is a number that resolvers read as an address",
            "http://0x7f000001/                        | is a number that resolvers read as an address",
            "http://0x7f.1/                            | is a number that resolvers read as an address",
            "http://017700000001/                      | is a number that resolvers read as an address",
            "http://127.1/                             | is a number that resolvers read as an address",
            "http://0177.0.0.1/                        | is a number that resolvers read as an address",
            "http://8.8.8.8.8/                         | is a number that resolvers read as an address",
    })
    void givenACallbackUrlNoWebhookIsSentToWhenSubmittedThenItIsRefusedNamingTheFieldAndWhy(String url, String reason) {
        // given / when / then
        assertThatThrownBy(() -> withCallback(url)).as(url)
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("callbackUrl: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidTaskException) e).field()).isEqualTo("callbackUrl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/conveyor?tenant=acme", "http://hooks.example.com:8080/x", "https://8.8.8.8/x",
            "https://[2606:4700:4700::1111]/x", "http://localhost:8080/x", "http://hooks.internal/x"})
    void givenAPublicAddressOrAHostNameWhenSubmittedThenTheCallbackIsAccepted(String url) {
        // given / when
        TaskSubmission submission = withCallback(url);

        // then: host names are judged by the notifier on the addresses they resolve to
        assertThat(submission.callbackUrl()).isEqualTo(url);
    }
}
