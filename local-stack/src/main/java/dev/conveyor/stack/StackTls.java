package dev.conveyor.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS files of the secure local stack, made fresh for every start: a CA, one certificate for
 * 127.0.0.1 and localhost that both the broker and the registry serve, and what clients trust.
 *
 * @param caCertificate         the CA certificate as PEM: a trust store of type PEM
 * @param truststore            the CA certificate in a PKCS12 trust store
 * @param truststorePassword    its password
 * @param serverKeystore        the servers' key and certificate chain, PKCS12
 * @param serverKeystorePassword its password (and the key's)
 */
public record StackTls(Path caCertificate, Path truststore, String truststorePassword, Path serverKeystore, String serverKeystorePassword) {

    /** Long enough for any test run, short enough that a leaked key is worthless. */
    static final Duration VALIDITY = Duration.ofDays(2);

    static StackTls generate(Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("conveyor-local-stack-ca", VALIDITY);
        CertificateAuthority.Issued server = ca.issue("127.0.0.1", List.of("127.0.0.1"), List.of("localhost"), VALIDITY);
        StackTls tls = new StackTls(dir.resolve("ca.pem"), dir.resolve("truststore.p12"), StackSecurity.newPassword(),
                dir.resolve("server.p12"), StackSecurity.newPassword());
        try {
            Files.createDirectories(dir);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(tls.caCertificate, pem);
            KeyStore trust = emptyStore();
            trust.setCertificateEntry("conveyor-local-stack-ca", ca.certificate());
            store(trust, tls.truststore, tls.truststorePassword);
            KeyStore keys = emptyStore();
            keys.setKeyEntry("server", server.key(), tls.serverKeystorePassword.toCharArray(), server.chain());
            store(keys, tls.serverKeystore, tls.serverKeystorePassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not write the stack's TLS files", e);
        }
        return tls;
    }

    /** A TLS context that trusts the stack's CA: for JDK HTTP clients of the registry. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, truststorePassword.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + truststore, e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static void store(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    @Override
    public String toString() {
        return "StackTls[caCertificate=" + caCertificate + ", truststore=" + truststore + ", serverKeystore=" + serverKeystore + "]";
    }
}
