package dev.conveyor.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text form of API keys, one key per line (in {@code API_KEYS} lines may also be separated by
 * {@code ;}):
 *
 * <pre>{@code <key id>:sha256=<hex>:<scopes>:<task type globs>[:<tasks per second>]}</pre>
 *
 * for example {@code billing:sha256=9f86…:submit,read:email.*,report.render:50}. Blank lines and lines
 * starting with {@code #} are skipped. A line in error is named by its number, never quoted: it holds a hash.
 */
public final class KeyLines {

    static final String FIELD_SEPARATOR = ":";
    private static final int MIN_FIELDS = 4;
    private static final int MAX_FIELDS = 5;
    /** A plain decimal such as {@code 50} or {@code 0.5}. */
    private static final Pattern RATE = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

    private KeyLines() {
    }

    /** A line that cannot be read; {@code line} counts from 1. */
    static final class InvalidLine extends IllegalArgumentException {
        final int line;

        InvalidLine(int line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
        }
    }

    /** Every key in {@code text}; lines of one id must grant the same ({@link #requireSameGrant}). */
    static List<ApiKey> parse(String text) {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, ApiKey> byId = new HashMap<>();
        String[] lines = text.split("\\R|;", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ApiKey key = parseLine(line);
                ApiKey earlier = byId.putIfAbsent(key.id(), key);
                if (earlier != null) {
                    requireSameGrant(earlier, key);
                }
                keys.add(key);
            } catch (IllegalArgumentException e) {
                throw new InvalidLine(i + 1, e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    private static ApiKey parseLine(String line) {
        String[] fields = line.split(FIELD_SEPARATOR, -1);
        if (fields.length < MIN_FIELDS || fields.length > MAX_FIELDS) {
            throw new IllegalArgumentException("has " + fields.length + " fields; a key is <id>:sha256=<hex>:<scopes>:<task types>[:<tasks per second>]");
        }
        return new ApiKey(fields[0].strip(), KeyHash.parse(fields[1].strip()), scopes(fields[2]), TypePatterns.parse(fields[3]),
                fields.length == MAX_FIELDS ? rate(fields[4].strip()) : 0);
    }

    /**
     * Several lines of one id are one client's keys, as while it moves from an old key to a new one: they
     * may differ only in their hash, so the client's tasks, rights and rate stay the same whichever it sends.
     */
    static void requireSameGrant(ApiKey earlier, ApiKey key) {
        if (!earlier.scopes().equals(key.scopes()) || !earlier.types().toString().equals(key.types().toString())
                || earlier.tasksPerSecond() != key.tasksPerSecond()) {
            throw new IllegalArgumentException("key id '" + key.id() + "' is given again with other scopes, task types or rate;"
                    + " the lines of one id differ only in their hash");
        }
    }

    /** {@code submit,read}. */
    static Set<Scope> scopes(String text) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : text.split(",", -1)) {
            scopes.add(Scope.parse(scope.strip()));
        }
        return scopes;
    }

    /** Tasks per second, a plain decimal; empty for no limit (0). */
    static double rate(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (!RATE.matcher(text).matches() || Double.parseDouble(text) == 0) {
            throw new IllegalArgumentException("the rate '" + text + "' is not a number of tasks per second such as 50 or 0.5"
                    + " (leave it out for no limit)");
        }
        return Double.parseDouble(text);
    }

    /** The line that stores {@code key}. */
    public static String line(ApiKey key) {
        StringBuilder line = new StringBuilder().append(key.id()).append(FIELD_SEPARATOR).append(key.hash().text()).append(FIELD_SEPARATOR);
        line.append(String.join(",", key.scopes().stream().sorted().map(Scope::text).toList()));
        line.append(FIELD_SEPARATOR).append(key.types());
        if (key.limited()) {
            line.append(FIELD_SEPARATOR).append(rateText(key.tasksPerSecond()));
        }
        return line.toString();
    }

    static String rateText(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
