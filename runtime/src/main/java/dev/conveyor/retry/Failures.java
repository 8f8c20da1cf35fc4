package dev.conveyor.retry;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Turns failures into bounded text, so records carrying errors stay small. */
public final class Failures {

    /** Enough for a message and the top of a stack trace. */
    public static final int MAX_ERROR_CHARS = 4_096;
    private static final String TRUNCATED = "...[truncated]";

    private Failures() {
    }

    /** "ExceptionClass: message", truncated. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.util.concurrent.CompletionException || root instanceof java.util.concurrent.ExecutionException)) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return truncate(text, MAX_ERROR_CHARS);
    }

    /** The stack trace, truncated to a bounded size. */
    public static String stackTrace(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return truncate(out.toString(), MAX_ERROR_CHARS);
    }

    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - TRUNCATED.length()) + TRUNCATED;
    }
}
