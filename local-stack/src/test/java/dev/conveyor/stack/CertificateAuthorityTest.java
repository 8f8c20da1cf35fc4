package dev.conveyor.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    @Test
    void anIssuedServerCertificateValidatesAgainstTheCaForItsAddresses() throws Exception {
        // given a fresh CA
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));

        // when it issues a certificate for 127.0.0.1 and localhost
        CertificateAuthority.Issued issued = ca.issue("127.0.0.1", List.of("127.0.0.1"), List.of("localhost"), Duration.ofDays(1));
        X509Certificate leaf = issued.chain()[0];

        // then the CA is a CA, the leaf names both addresses and serves TLS, and PKIX accepts the chain
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        leaf.verify(ca.certificate().getPublicKey());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);

        // and a JDK trust manager trusting only the CA accepts it as a server
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        ((X509TrustManager) factory.getTrustManagers()[0]).checkServerTrusted(issued.chain(), "ECDHE_ECDSA");
    }
}
