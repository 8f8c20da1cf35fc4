package dev.conveyor.internal.consume;

import dev.conveyor.retry.DeadLetterReason;
import java.nio.ByteBuffer;

/**
 * Why a record can never be processed: its value could not be decoded (with what its first bytes say
 * about its framing), or it decoded into something that is not a valid record.
 */
final class UndecodableRecordException extends RuntimeException {

    private final DeadLetterReason reason;

    UndecodableRecordException(byte[] value, Throwable cause) {
        super(framing(value) + ": " + detail(cause), cause);
        this.reason = DeadLetterReason.UNDECODABLE;
    }

    private UndecodableRecordException(String message) {
        super(message);
        this.reason = DeadLetterReason.INVALID_RECORD;
    }

    /** A value that decoded but is no valid record, for {@code problem}. */
    static UndecodableRecordException invalid(byte[] value, String problem) {
        return new UndecodableRecordException(framing(value) + " decodes, but is not a valid record: " + problem);
    }

    DeadLetterReason reason() {
        return reason;
    }

    static String framing(byte[] value) {
        if (value == null) {
            return "record has no value (tombstone)";
        }
        if (value.length < 5 || value[0] != 0) {
            return "value of " + value.length + " bytes is not in Confluent wire format (no magic byte 0 + 4-byte schema id)";
        }
        return "value of " + value.length + " bytes written with schema id " + ByteBuffer.wrap(value, 1, 4).getInt();
    }

    private static String detail(Throwable cause) {
        if (cause == null) {
            return "nothing to decode";
        }
        // the registry client reports a missing schema as a bare ProblemDetails object; name it plainly
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("ProblemDetails") || String.valueOf(t.getMessage()).endsWith("ProblemDetails")) {
                return "the schema registry does not know that schema id";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
