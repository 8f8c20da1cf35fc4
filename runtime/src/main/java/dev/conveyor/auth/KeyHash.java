package dev.conveyor.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an API key, which is all the gateway stores. A plain fast hash is enough: keys are
 * 256-bit random secrets, so neither a dictionary nor a brute-force search can find one from its hash,
 * and a slow password hash (bcrypt, Argon2) would only cost time on every request. Unique random keys
 * need no salt either. Hashes are compared in constant time.
 */
public final class KeyHash {

    /** How a stored hash is written: {@code sha256=} and 64 lower-case hex digits. */
    static final String PREFIX = "sha256=";
    private static final int BYTES = 32;

    private final byte[] digest;

    private KeyHash(byte[] digest) {
        this.digest = digest;
    }

    /** The hash of a key as a client presents it. */
    public static KeyHash of(String key) {
        try {
            return new KeyHash(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A stored hash, {@code sha256=<64 hex digits>}. */
    static KeyHash parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the hash must be written sha256=<64 hex digits>");
        }
        String hex = text.substring(PREFIX.length());
        if (hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("the hash must have 64 hex digits, it has " + hex.length());
        }
        try {
            return new KeyHash(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hash is not hex digits");
        }
    }

    /** Compares in time independent of where the hashes differ ({@link MessageDigest#isEqual}). */
    boolean matches(KeyHash presented) {
        return MessageDigest.isEqual(digest, presented.digest);
    }

    /** The stored form, {@code sha256=<hex>}. */
    public String text() {
        return PREFIX + HexFormat.of().formatHex(digest);
    }

    /** Not the hash: a key's record can be logged whole without it. */
    @Override
    public String toString() {
        return PREFIX + "[hidden]";
    }
}
