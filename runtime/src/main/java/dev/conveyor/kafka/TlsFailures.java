package dev.conveyor.kafka;

import java.security.cert.CertificateException;
import java.util.Optional;

/** Reads a failed TLS handshake: whether the peer's certificate was refused, and the innermost reason. */
final class TlsFailures {

    private TlsFailures() {
    }

    /** The refusal of the peer's certificate (untrusted, expired, or not naming the host) behind {@code failure}, if that is what it was. */
    static Optional<CertificateException> certificateRefusal(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException refusal) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
