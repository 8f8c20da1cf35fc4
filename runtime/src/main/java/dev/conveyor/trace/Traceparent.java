package dev.conveyor.trace;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent}: {@code 00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>}.
 * Conveyor records no spans of its own, so it passes a caller's context on unchanged, trace-id and
 * parent-id alike: a span id it made up would be known to no tracing system and would break the chain
 * the caller's tracer builds. It starts a trace only when a task comes without one.
 *
 * @param traceId  32 lower-case hex digits, not all zero
 * @param parentId 16 lower-case hex digits, not all zero
 * @param flags    2 lower-case hex digits; bit 0 is "sampled"
 */
public record Traceparent(String traceId, String parentId, String flags) {

    /** The header's name, in HTTP and on Kafka records. */
    public static final String HEADER = "traceparent";
    /** The one version this class writes. */
    private static final String VERSION = "00";
    private static final int LENGTH = 55;
    /** Sampled: a receiver whose sampling follows its parent's records its side of a trace Conveyor started. */
    private static final String NEW_TRACE_FLAGS = "01";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public Traceparent {
        if (!isHex(traceId, 32) || isZero(traceId)) {
            throw new IllegalArgumentException("traceId must be 32 lower-case hex digits, not all zero");
        }
        if (!isHex(parentId, 16) || isZero(parentId)) {
            throw new IllegalArgumentException("parentId must be 16 lower-case hex digits, not all zero");
        }
        if (!isHex(flags, 2)) {
            throw new IllegalArgumentException("flags must be 2 lower-case hex digits");
        }
    }

    /**
     * The context in {@code header}, or empty when there is none or it is malformed: per the spec a
     * malformed header is discarded, and a new trace is started, never an error. Version {@code 00} must
     * be exactly 55 characters; a later version is read by its first four fields, as the spec asks, and
     * passed on as version {@code 00}; version {@code ff} is invalid.
     */
    public static Optional<Traceparent> parse(String header) {
        if (header == null || header.length() < LENGTH) {
            return Optional.empty();
        }
        String version = header.substring(0, 2);
        boolean known = version.equals(VERSION);
        if (!isHex(version, 2) || version.equals("ff") || (known && header.length() != LENGTH)
                || (!known && header.length() > LENGTH && header.charAt(LENGTH) != '-')
                || header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(new Traceparent(header.substring(3, 35), header.substring(36, 52), header.substring(53, 55)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** {@code header}'s context if it is a valid one, else a new trace. */
    public static Traceparent parseOrStart(String header) {
        return parse(header).orElseGet(Traceparent::start);
    }

    /** A new trace: random trace-id and parent-id, sampled. Random, not secure: ids must not collide, not be secret. */
    public static Traceparent start() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        long span;
        do {
            span = random.nextLong();
        } while (span == 0);
        return new Traceparent(hex(high) + hex(low), hex(span), NEW_TRACE_FLAGS);
    }

    public boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
    }

    /** The header value, version {@code 00}. */
    @Override
    public String toString() {
        return VERSION + '-' + traceId + '-' + parentId + '-' + flags;
    }

    private static String hex(long value) {
        char[] digits = new char[16];
        for (int i = 15; i >= 0; i--) {
            digits[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(digits);
    }

    /** Whether {@code text} is exactly {@code length} lower-case hex digits (the spec allows no upper case). */
    private static boolean isHex(String text, int length) {
        if (text == null || text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
