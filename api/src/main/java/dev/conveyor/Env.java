package dev.conveyor;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables. Every app is configured from its environment with local
 * defaults; a value that does not parse is a {@link ConfigException} naming the variable.
 */
public final class Env {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return find(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "'" + v + "' is not a whole number");
            }
        }).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return find(key).map(v -> switch (v.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(key, "'" + v + "' is not true or false");
        }).orElse(defaultValue);
    }

    public Duration duration(String key, Duration defaultValue) {
        return find(key).map(v -> parseDuration(key, v)).orElse(defaultValue);
    }

    public List<String> list(String key, List<String> defaultValue) {
        return find(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(defaultValue);
    }

    /** {@code a=1,b=2} as a map; an entry without '=' is an error naming the variable. */
    public Map<String, String> map(String key) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String entry : list(key, List.of())) {
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) {
                throw new ConfigException(key, "'" + entry + "' is not name=value");
            }
            result.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return result;
    }

    /**
     * Accepts 250ms, 5s, 2m, 1h, 1d or an ISO-8601 duration such as PT5S. A number too large for a
     * duration is a {@link ConfigException} like any other text that is no duration.
     */
    public static Duration parseDuration(String key, String text) {
        Matcher m = SHORT_DURATION.matcher(text.trim());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigException(key, "'" + text + "' is too long a duration");
            }
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException(key, "'" + text + "' is not a duration (use e.g. 250ms, 5s, 2m or PT5S)");
        }
    }
}
