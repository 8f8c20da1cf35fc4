package dev.conveyor.producer.status;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** What a status request may say, checked before anything is looked up: each refusal names what is wrong. */
final class StatusRequests {

    static final Duration MIN_WAIT = Duration.ofMillis(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** Task ids are UUIDs in their canonical 8-4-4-4-12 text. */
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private StatusRequests() {
    }

    static final class Invalid extends Exception {
        Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The task id in its stored (lower-case) form. */
    static String taskId(String text) throws Invalid {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw new Invalid("id: '" + text + "' is not a task id (a UUID such as 0190f1c2-1a2b-7c3d-8e4f-0123456789ab)");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    static void onlyKnownParameters(Map<String, List<String>> query, Set<String> known) throws Invalid {
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new Invalid(name + ": is not a parameter of this endpoint" + (known.isEmpty() ? "" : "; it takes " + known));
            }
        }
    }

    /** The {@code wait} parameter ({@code 500ms}, {@code 30s}, {@code 1m}), or null when absent. */
    static Duration waitFor(List<String> values) throws Invalid {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Invalid("wait: given " + values.size() + " times");
        }
        Duration wait;
        try {
            wait = Env.parseDuration("wait", values.getFirst());
        } catch (ConfigException e) {
            throw new Invalid("wait: '" + values.getFirst() + "' is not a duration (use e.g. 500ms, 30s or 1m)");
        }
        if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
            throw new Invalid("wait: must be between " + MIN_WAIT.toMillis() + "ms and " + MAX_WAIT.toSeconds() + "s, was " + values.getFirst());
        }
        return wait;
    }
}
