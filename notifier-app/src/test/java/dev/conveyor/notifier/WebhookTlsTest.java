package dev.conveyor.notifier;

import static dev.conveyor.notifier.WebhookTestChannels.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the checked resolver: the client connects to the address it checked, yet TLS still
 * works with the host name, which it sends as SNI and checks the certificate against.
 */
class WebhookTlsTest {

    static final String HOST = "hooks.test";
    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static KeyStore keys;
    static HttpsServer server;
    static final List<String> serverNames = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // a certificate for hooks.test only (no IP address in it), made with the JDK's keytool
        Path store = dir.resolve("hooks.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "hooks", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                for (SNIServerName name : ((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession()).getRequestedServerNames()) {
                    serverNames.add(((SNIHostName) name).getAsciiName());
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** A channel trusting the test certificate, with hooks.test and other.test both resolving to 127.0.0.1, and both allowed. */
    static WebhookChannel channel() {
        SslContextFactory.Client trust = new SslContextFactory.Client();
        trust.setTrustStore(keys);
        CheckedAddressResolver.Lookup lookup = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        return WebhookChannelFactory.create(WebhookTestChannels.settings(Duration.ofSeconds(5), List.of(HOST, "other.test")), lookup,
                trust, Clock.systemUTC());
    }

    @Test
    void givenAnHttpsCallbackWhenDeliveredThenTheHostNameIsSentAsSniAndTheCertificateForItIsAccepted() throws Exception {
        try (WebhookChannel channel = channel()) {
            // when
            channel.deliver(result("https://" + HOST + ":" + server.getAddress().getPort() + "/hooks"));

            // then
            assertThat(serverNames).contains(HOST);
        }
    }

    @Test
    void givenAnotherNameForTheSameAddressWhenDeliveredThenTheCertificateIsRefusedForIt() {
        try (WebhookChannel channel = channel()) {
            // when / then: the certificate is checked against the name, not against the address connected to
            assertThatThrownBy(() -> channel.deliver(result("https://other.test:" + server.getAddress().getPort() + "/hooks")))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("No subject alternative DNS name matching other.test");
        }
    }

    @Test
    void givenTheChannelsDefaultTrustWhenDeliveredToASelfSignedReceiverThenItIsRefused() {
        // given the JDK's trusted roots, which do not hold the test certificate
        CheckedAddressResolver.Lookup lookup = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        try (WebhookChannel channel = WebhookChannelFactory.create(WebhookTestChannels.settings(Duration.ofSeconds(5), List.of(HOST)),
                lookup, new SslContextFactory.Client(), Clock.systemUTC())) {
            // when / then
            assertThatThrownBy(() -> channel.deliver(result("https://" + HOST + ":" + server.getAddress().getPort() + "/hooks")))
                    .isInstanceOf(IOException.class).hasStackTraceContaining("PKIX");
        }
    }
}
