package dev.conveyor.internal.serde;

import org.apache.avro.SystemLimitException;

/**
 * Bounds what a record's bytes may make the Avro decoder allocate. A length prefix is read before the
 * bytes it announces, so a poison record of a few bytes that claims a gigabyte-long string would make
 * the decoder allocate a gigabyte and fail with {@link OutOfMemoryError}, which no handler expects.
 * With these limits it fails with {@link SystemLimitException}, a record that cannot be decoded. No
 * Conveyor record comes near them: a record is at most the broker's message size (1 MiB by default).
 * Avro reads the limits once, when its limit class initializes, which any record builder with a
 * default value already does; so after setting them, {@link #apply} has Avro read them again. A value set
 * on the command line wins.
 */
final class DecodingLimits {

    static final int MAX_STRING_OR_BYTES = 16 * 1024 * 1024;
    static final int MAX_COLLECTION_ITEMS = 1_000_000;

    private DecodingLimits() {
    }

    static void apply() {
        setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_OR_BYTES);
        setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_STRING_OR_BYTES);
        setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
        rereadLimits();
    }

    /** Calls Avro's own {@code SystemLimitException.resetLimits()}, which is package-private. */
    private static void rereadLimits() {
        try {
            java.lang.reflect.Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot make Avro read its decoding limits again", e);
        }
    }

    private static void setIfAbsent(String property, int limit) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(limit));
        }
    }
}
