package dev.conveyor.inspect;

import java.time.Instant;
import java.util.Optional;

/**
 * What a Conveyor consumer writes into the metadata of each offset it commits: which instance committed,
 * when, how many records it had in flight and handlers running at that moment, and whether flow control
 * held the partition paused. Kafka keeps it with the committed offset, so an operator's view reads it
 * from the admin API alone, as of each partition's last commit. Its text is at most a few dozen bytes,
 * far below the broker's {@code offset.metadata.max.bytes}.
 *
 * @param instance the committing instance's {@code INSTANCE_ID}
 * @param at       when it committed
 * @param inFlight records the instance had taken from Kafka and not finished
 * @param running  handlers the instance was running
 * @param paused   whether the partition was paused (full, or draining)
 */
public record CommitNote(String instance, Instant at, int inFlight, int running, boolean paused) {

    private static final String PREFIX = "conveyor/1 ";

    public String text() {
        return PREFIX + instance + " " + at.toEpochMilli() + " " + inFlight + " " + running + " " + (paused ? "paused" : "flowing");
    }

    /** The note in a committed offset's metadata; empty for metadata another client wrote. */
    public static Optional<CommitNote> parse(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] fields = metadata.substring(PREFIX.length()).split(" ");
        if (fields.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CommitNote(fields[0], Instant.ofEpochMilli(Long.parseLong(fields[1])), Integer.parseInt(fields[2]),
                    Integer.parseInt(fields[3]), fields[4].equals("paused")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
