package dev.conveyor.webhooks;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of 24 to 64 random bytes.
 * Its {@link #toString()} never shows the key, so a secret in a log line or an exception stays secret.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    /** The specification's bounds on a symmetric key: at least 192 bits, at most 512. */
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;
    /** What {@link #generate} draws. */
    public static final int GENERATED_BYTES = 32;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * Reads {@code whsec_<base64>}; the prefix may be left out, as the specification's libraries allow.
     *
     * @throws IllegalArgumentException when it is not base64 or its key is shorter or longer than the bounds
     */
    public static WebhookSecret parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a webhook secret is whsec_ followed by base64, not empty");
        }
        String encoded = text.strip();
        if (encoded.startsWith(PREFIX)) {
            encoded = encoded.substring(PREFIX.length());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is whsec_ followed by base64: " + e.getMessage());
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("a webhook secret holds " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, this one " + key.length);
        }
        return new WebhookSecret(key);
    }

    /** A new random secret of {@value #GENERATED_BYTES} bytes. */
    public static WebhookSecret generate(SecureRandom random) {
        byte[] key = new byte[GENERATED_BYTES];
        random.nextBytes(key);
        return new WebhookSecret(key);
    }

    /** The {@code whsec_<base64>} form, to hand to a receiver. */
    public String encoded() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** A copy of the HMAC key. */
    byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret secret && java.security.MessageDigest.isEqual(key, secret.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return PREFIX + "…(" + key.length + " bytes, hidden)";
    }
}
