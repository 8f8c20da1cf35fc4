package dev.conveyor.deadletter;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters a command acts on; every criterion given must hold. {@code refs} selects letters
 * by {@code partition:offset}. Pure.
 */
public record DeadLetterFilter(String type, String reason, Instant since, Instant until, String text, Set<String> refs) {

    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null, null, null, null, Set.of());
    }

    public boolean matches(StoredDeadLetter stored) {
        var letter = stored.letter();
        if (!refs.isEmpty() && !refs.contains(stored.ref())) {
            return false;
        }
        if (type != null && !type.equals(stored.taskType())) {
            return false;
        }
        if (reason != null && !reason.equalsIgnoreCase(letter.getReason())) {
            return false;
        }
        if (since != null && letter.getFailedAt().isBefore(since)) {
            return false;
        }
        if (until != null && !letter.getFailedAt().isBefore(until)) {
            return false;
        }
        return text == null || mentions(letter, text.toLowerCase(Locale.ROOT));
    }

    private static boolean mentions(dev.conveyor.schema.DeadLetter letter, String needle) {
        if (letter.getError() != null && letter.getError().toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        return letter.getHistory().stream().anyMatch(f -> f.getError().toLowerCase(Locale.ROOT).contains(needle));
    }
}
