package dev.conveyor.producer.status;

import dev.conveyor.schema.StatsMinute;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Counts per minute over the last hour, oldest first: the transition rates of one task type. */
final class RecentMinutes {

    static final Duration WINDOW = Duration.ofHours(1);

    private RecentMinutes() {
    }

    /** Counts one transition at {@code at} (a clock ahead of ours counts as now); false when it is older than the window. */
    static boolean count(List<StatsMinute> minutes, Instant at, Instant now) {
        prune(minutes, now);
        Instant minute = (at.isAfter(now) ? now : at).truncatedTo(ChronoUnit.MINUTES);
        if (minute.isBefore(windowStart(now))) {
            return false;
        }
        int i = minutes.size();
        while (i > 0 && minutes.get(i - 1).getMinute().isAfter(minute)) {
            i--;
        }
        if (i > 0 && minutes.get(i - 1).getMinute().equals(minute)) {
            StatsMinute same = minutes.get(i - 1);
            same.setTransitions(same.getTransitions() + 1);
        } else {
            minutes.add(i, new StatsMinute(minute, 1L));
        }
        return true;
    }

    /** Drops the minutes that left the window; true when any did. */
    static boolean prune(List<StatsMinute> minutes, Instant now) {
        Instant start = windowStart(now);
        boolean pruned = false;
        while (!minutes.isEmpty() && minutes.getFirst().getMinute().isBefore(start)) {
            minutes.removeFirst();
            pruned = true;
        }
        return pruned;
    }

    /** The first minute of the window: the current minute and the 59 before it. */
    static Instant windowStart(Instant now) {
        return now.truncatedTo(ChronoUnit.MINUTES).minus(WINDOW).plus(Duration.ofMinutes(1));
    }
}
