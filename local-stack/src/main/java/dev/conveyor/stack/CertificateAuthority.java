package dev.conveyor.stack;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority for the secure local stack: a self-signed CA certificate and the
 * server certificates it issues, on EC P-256 keys, built with the JDK alone in a few milliseconds.
 */
final class CertificateAuthority {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** Issued a little in the past, so a clock a moment behind ours still accepts it. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A private key and its certificate chain, leaf first. */
    record Issued(PrivateKey key, X509Certificate[] chain) {
    }

    private final KeyPair keys;
    private final String name;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keys, String name, X509Certificate certificate) {
        this.keys = keys;
        this.name = name;
        this.certificate = certificate;
    }

    static CertificateAuthority create(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                // keyCertSign and cRLSign: bits 5 and 6
                extension(KEY_USAGE, true, Der.bits(new byte[] {0x06}, 1)));
        X509Certificate certificate = sign(keys.getPrivate(), commonName, commonName, keys.getPublic(), validity, extensions);
        return new CertificateAuthority(keys, commonName, certificate);
    }

    /** A TLS server (and client) certificate for these IP addresses and host names. */
    Issued issue(String commonName, List<String> ipAddresses, List<String> dnsNames, Duration validity) {
        KeyPair leaf = newKeyPair();
        List<byte[]> altNames = new ArrayList<>();
        dnsNames.forEach(dns -> altNames.add(Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII))));
        ipAddresses.forEach(ip -> altNames.add(Der.implicit(7, addressBytes(ip))));
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, false, Der.sequence()),
                // digitalSignature: bit 0, what an ECDHE_ECDSA handshake needs
                extension(KEY_USAGE, true, Der.bits(new byte[] {(byte) 0x80}, 7)),
                extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))),
                extension(SUBJECT_ALT_NAME, false, Der.sequence(altNames.toArray(byte[][]::new))));
        X509Certificate issued = sign(keys.getPrivate(), name, commonName, leaf.getPublic(), validity, extensions);
        return new Issued(leaf.getPrivate(), new X509Certificate[] {issued, certificate});
    }

    X509Certificate certificate() {
        return certificate;
    }

    private static X509Certificate sign(PrivateKey issuerKey, String issuer, String subject, PublicKey subjectKey, Duration validity,
                                        byte[] extensions) {
        Instant now = Instant.now();
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),   // version 3
                Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                name(issuer),
                Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(validity))),
                name(subject),
                subjectKey.getEncoded(),                         // already a DER SubjectPublicKeyInfo
                Der.explicit(3, extensions));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(issuerKey);
            signature.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bits(signature.sign(), 0));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a certificate for " + subject, e);
        }
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value)) : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    private static byte[] addressBytes(String ip) {
        try {
            // a literal address: no name lookup
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key pair generator", e);
        }
    }
}
