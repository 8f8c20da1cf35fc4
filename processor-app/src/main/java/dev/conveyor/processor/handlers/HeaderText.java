package dev.conveyor.processor.handlers;

/**
 * Decides whether text may go into a mail header. A header ends at a line break, so a recipient or
 * subject that carries one could add headers of its own ({@code Bcc:}) or start the body early: header
 * injection. Jakarta Mail folds a line break in a subject into a continuation line, but writes a header
 * set with {@code setHeader} as it is, so the check is made here, for every header-bound value, before a
 * message exists. Control characters other than line breaks (NUL, ESC, DEL, the C1 range with NEL) and
 * the Unicode line and paragraph separators have no place in a header either. Pure.
 */
final class HeaderText {

    private HeaderText() {
    }

    /** Where the first character that no header may carry is, or -1 when there is none. */
    static int firstForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029') {
                return i;
            }
        }
        return -1;
    }

    /** How a refusal names the character: {@code U+000D (CR) at 5}. */
    static String describe(String text, int index) {
        char c = text.charAt(index);
        String name = switch (c) {
            case '\r' -> " (CR)";
            case '\n' -> " (LF)";
            case '\t' -> " (TAB)";
            case '\0' -> " (NUL)";
            default -> "";
        };
        return String.format("U+%04X%s at %d", (int) c, name, index);
    }
}
