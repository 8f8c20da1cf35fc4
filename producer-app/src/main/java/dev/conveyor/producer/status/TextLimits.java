package dev.conveyor.producer.status;

import java.nio.charset.StandardCharsets;

/** Bounds on the text a status keeps, so one task's document stays far below a record's size limit. */
final class TextLimits {

    /** A result's output, as the processor cuts it on the event too. */
    static final int OUTPUT_BYTES = 8 * 1024;
    /** Errors and details, in the status and in each timeline entry. */
    static final int TEXT_CHARS = 2048;

    private TextLimits() {
    }

    static String text(String value) {
        return value == null || value.length() <= TEXT_CHARS ? value : value.substring(0, TEXT_CHARS);
    }

    static boolean outputFits(String output) {
        // a char is at most 3 UTF-8 bytes: most outputs are decided without encoding them
        return output == null || output.length() * 3L <= OUTPUT_BYTES || output.getBytes(StandardCharsets.UTF_8).length <= OUTPUT_BYTES;
    }

    /** The longest prefix of {@code output} within {@link #OUTPUT_BYTES} UTF-8 bytes, never splitting a character. */
    static String output(String output) {
        if (outputFits(output)) {
            return output;
        }
        int bytes = 0;
        int end = 0;
        while (end < output.length()) {
            int codePoint = output.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > OUTPUT_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return output.substring(0, end);
    }
}
