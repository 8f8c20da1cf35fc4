package dev.conveyor.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.net.AddressPolicy;
import dev.conveyor.net.AllowedNetworks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

class CheckedAddressResolverTest {

    static InetAddress[] addresses(String... texts) throws UnknownHostException {
        InetAddress[] found = new InetAddress[texts.length];
        for (int i = 0; i < texts.length; i++) {
            found[i] = InetAddress.getByName(texts[i]);
        }
        return found;
    }

    static CheckedAddressResolver resolver(CheckedAddressResolver.Lookup lookup, String... allowed) {
        return new CheckedAddressResolver(lookup, new AddressPolicy(AllowedNetworks.parse("WEBHOOK_ALLOWED_NETWORKS", List.of(allowed))),
                Runnable::run);
    }

    static CompletableFuture<List<InetSocketAddress>> resolve(CheckedAddressResolver resolver, String host, int port) {
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        resolver.resolve(host, port, Promise.from(result::complete, result::completeExceptionally));
        return result;
    }

    @Test
    void givenANameWithPublicAddressesThenExactlyThoseAreHandedToTheClientBoundToTheName() throws Exception {
        // given
        CheckedAddressResolver resolver = resolver(host -> addresses("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"));

        // when
        List<InetSocketAddress> resolved = resolve(resolver, "hooks.example.com", 443).join();

        // then: the addresses judged, and TLS sees the name (SNI, certificate check)
        assertThat(resolved).extracting(a -> a.getAddress().getHostAddress())
                .containsExactly("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        assertThat(resolved).allSatisfy(a -> {
            assertThat(a.getHostString()).isEqualTo("hooks.example.com");
            assertThat(a.getPort()).isEqualTo(443);
            assertThat(a.isUnresolved()).isFalse();
        });
    }

    @Test
    void givenANameMixingAPublicAndAnInternalAddressThenTheHostIsRefused() throws Exception {
        // given
        CheckedAddressResolver resolver = resolver(host -> addresses("93.184.215.14", "169.254.169.254"));

        // when / then
        assertThatThrownBy(() -> resolver.checked("mixed.example.com", 80))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessage("mixed.example.com resolves to 169.254.169.254 is link-local (169.254.0.0/16)");
    }

    @Test
    void givenANameThatRebindsFromPublicToLoopbackThenEveryConnectionIsJudgedOnItsOwnLookup() throws Exception {
        // given a name that answers public first (as when someone checks it) and loopback next (when the notifier connects)
        Deque<InetAddress[]> answers = new ArrayDeque<>(List.of(addresses("93.184.215.14"), addresses("127.0.0.1")));
        CheckedAddressResolver resolver = resolver(host -> answers.removeFirst());

        // when
        List<InetSocketAddress> first = resolver.checked("rebind.example.com", 80);

        // then: no address is ever handed over unjudged
        assertThat(first).extracting(a -> a.getAddress().getHostAddress()).containsExactly("93.184.215.14");
        assertThatThrownBy(() -> resolver.checked("rebind.example.com", 80))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("127.0.0.1 is loopback");
        assertThat(answers).isEmpty();
    }

    @Test
    void givenAnAllowlistedNameOrNetworkThenItsInternalAddressesPass() throws Exception {
        // given
        CheckedAddressResolver resolver = resolver(host -> addresses("10.20.30.40"), "hooks.internal", "10.99.0.0/16");

        // when / then
        assertThat(resolver.checked("hooks.internal", 8443)).extracting(a -> a.getAddress().getHostAddress()).containsExactly("10.20.30.40");
        assertThatThrownBy(() -> resolver.checked("other.internal", 8443)).isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("10.20.30.40 is private (10.0.0.0/8)");
    }

    @Test
    void givenABracketedIpv6LiteralThenItIsJudgedAsTheAddress() {
        // given
        CheckedAddressResolver resolver = resolver(host -> InetAddress.getAllByName(host));

        // when / then
        assertThatThrownBy(() -> resolver.checked("[::1]", 80)).isInstanceOf(BlockedAddressException.class).hasMessage("::1 is loopback (::1/128)");
        assertThatThrownBy(() -> resolver.checked("[fd00:ec2::254]", 80)).isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("unique-local");
    }

    @Test
    void givenAFailingLookupThenThePromiseFails() {
        // given
        CheckedAddressResolver resolver = resolver(host -> {
            throw new UnknownHostException(host);
        });

        // when / then
        assertThat(resolve(resolver, "nowhere.invalid", 80)).isCompletedExceptionally();
        assertThat(resolve(resolver(host -> new InetAddress[0]), "empty.invalid", 80)).isCompletedExceptionally();
    }
}
