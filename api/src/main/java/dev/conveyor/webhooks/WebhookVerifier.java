package dev.conveyor.webhooks;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Checks a Standard Webhooks delivery on the receiving side: its signature against every secret the
 * receiver accepts (several while a secret is rotated), compared in constant time, and its timestamp
 * within a tolerance of the receiver's clock, so a captured request cannot be replayed later.
 * Verify the body's raw bytes as received, before parsing it: re-serialized JSON does not match.
 */
public final class WebhookVerifier {

    /** As the specification's libraries: a delivery older or newer than this is refused. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<WebhookSecret> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookVerifier(List<WebhookSecret> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one secret");
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("the tolerance must not be negative");
        }
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** A verifier of {@code whsec_...} secrets with the default tolerance and the system clock. */
    public static WebhookVerifier of(String... secrets) {
        return new WebhookVerifier(java.util.Arrays.stream(secrets).map(WebhookSecret::parse).toList(), DEFAULT_TOLERANCE,
                Clock.systemUTC());
    }

    /**
     * Verifies a delivery given its headers by name (any case), e.g. from a servlet or Javalin request.
     *
     * @return the verified {@code webhook-id} (drop repeats by it) and timestamp
     */
    public Verified verify(Map<String, String> headers, byte[] body) throws WebhookVerificationException {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return verify(byName::get, body);
    }

    /**
     * Verifies a delivery given a lookup of its headers, e.g. {@code name -> exchange.getRequestHeaders().getFirst(name)}.
     */
    public Verified verify(UnaryOperator<String> header, byte[] body) throws WebhookVerificationException {
        String id = header.apply(WebhookSignature.ID_HEADER);
        String timestampText = header.apply(WebhookSignature.TIMESTAMP_HEADER);
        String signatures = header.apply(WebhookSignature.SIGNATURE_HEADER);
        if (id == null || id.isEmpty() || timestampText == null || signatures == null) {
            throw new WebhookVerificationException("missing " + WebhookSignature.ID_HEADER + ", "
                    + WebhookSignature.TIMESTAMP_HEADER + " or " + WebhookSignature.SIGNATURE_HEADER + " header");
        }
        long timestamp = timestamp(timestampText.trim());
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !WebhookSignature.VERSION.equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given = decode(candidate.substring(comma + 1));
            if (given == null) {
                continue;
            }
            for (WebhookSecret secret : secrets) {
                // constant time: a byte-by-byte comparison that stops early would tell an attacker how much of a forgery is right
                if (MessageDigest.isEqual(WebhookSignature.hmac(secret, id, timestamp, body), given)) {
                    return new Verified(id, Instant.ofEpochSecond(timestamp));
                }
            }
        }
        throw new WebhookVerificationException("no " + WebhookSignature.VERSION + " signature matches any of the "
                + secrets.size() + " secret(s)");
    }

    private long timestamp(String text) throws WebhookVerificationException {
        long timestamp;
        try {
            timestamp = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(WebhookSignature.TIMESTAMP_HEADER + " '" + abbreviate(text)
                    + "' is not unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - tolerance.toSeconds()) {
            throw new WebhookVerificationException("the delivery is " + (now - timestamp) + " s old, more than the tolerance of "
                    + tolerance.toSeconds() + " s");
        }
        if (timestamp > now + tolerance.toSeconds()) {
            throw new WebhookVerificationException("the delivery is " + (timestamp - now) + " s in the future, more than the tolerance of "
                    + tolerance.toSeconds() + " s");
        }
        return timestamp;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }

    /** A delivery whose signature and timestamp checked out. */
    public record Verified(String id, Instant timestamp) {
    }
}
