package dev.conveyor.internal.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who won each idempotency key. Claims are applied in the offset order of their partition, which
 * every reader sees the same, so every producer and processor reaches the same verdicts without
 * talking to each other: a claim wins when its key has no winner or the winner had expired when the
 * claim was made. Only losers are remembered by task id (they are rare); a task id not known as a
 * loser runs. Entries are dropped a grace period after they expire, so memory follows the retention
 * window, not history. Pure; not thread-safe (its owner synchronises).
 */
public final class ClaimBook {

    /** Clock skew tolerated between submitters before an expired entry may be dropped. */
    public static final Duration GRACE = Duration.ofMinutes(5);

    /** The task a key belongs to, until {@code expiresAt}. */
    public record Winner(String taskId, Instant expiresAt) {
    }

    private final Map<String, Winner> winners = new HashMap<>();
    private final Map<String, Instant> losers = new HashMap<>();

    /** Applies one claim; returns the key's winner afterwards (the claim itself if it won). */
    public Winner apply(String key, String taskId, Instant claimedAt, Instant expiresAt) {
        Winner current = winners.get(key);
        if (current == null || !current.expiresAt().isAfter(claimedAt)) {
            Winner won = new Winner(taskId, expiresAt);
            winners.put(key, won);
            return won;
        }
        if (!current.taskId().equals(taskId)) {
            losers.put(taskId, current.expiresAt());
        }
        return current;
    }

    public Optional<Winner> winner(String key) {
        return Optional.ofNullable(winners.get(key));
    }

    /** Whether this task was written by a submission that lost its key to an earlier one. */
    public boolean lost(String taskId) {
        return losers.containsKey(taskId);
    }

    /** Drops what expired more than {@link #GRACE} before {@code now}. */
    public void evict(Instant now) {
        Instant cutoff = now.minus(GRACE);
        winners.values().removeIf(w -> w.expiresAt().isBefore(cutoff));
        losers.values().removeIf(expiry -> expiry.isBefore(cutoff));
    }

    public int size() {
        return winners.size() + losers.size();
    }
}
