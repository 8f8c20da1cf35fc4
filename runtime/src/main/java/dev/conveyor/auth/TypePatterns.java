package dev.conveyor.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The task types a key may submit: comma-separated globs in which {@code *} stands for any run of
 * characters, dots included ({@code email.*} allows {@code email.send} and {@code email.send.bulk};
 * {@code *} allows every type). No glob at all allows no type.
 */
public final class TypePatterns {

    /** A glob is made of task-type characters and {@code *}. */
    private static final Pattern GLOB = Pattern.compile("[a-z0-9._*-]{1,128}");

    private final String text;
    private final List<Pattern> patterns;

    private TypePatterns(String text, List<Pattern> patterns) {
        this.text = text;
        this.patterns = patterns;
    }

    /** {@code email.*,report.render}; empty for none. */
    public static TypePatterns parse(String text) {
        List<Pattern> patterns = new ArrayList<>();
        if (!text.isBlank()) {
            for (String glob : text.split(",", -1)) {
                String trimmed = glob.trim();
                if (!GLOB.matcher(trimmed).matches()) {
                    throw new IllegalArgumentException("'" + trimmed + "' is not a task type glob (lower-case letters, digits, '.', '_', '-' and *)");
                }
                patterns.add(Pattern.compile(Pattern.quote(trimmed).replace("*", "\\E.*\\Q")));
            }
        }
        return new TypePatterns(String.join(",", text.trim().split("\\s*,\\s*")), List.copyOf(patterns));
    }

    public boolean allows(String type) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(type).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean none() {
        return patterns.isEmpty();
    }

    /** As a keys file writes them. */
    @Override
    public String toString() {
        return text;
    }
}
