package dev.conveyor.inspect;

import java.time.Instant;
import java.util.Optional;

/** What the reader found at a partition's first unprocessed offset. */
sealed interface Unprocessed {

    /** The first unprocessed record: when it was written and, in a delay tier, when it is due. */
    record First(Instant writtenAt, Optional<Instant> due) implements Unprocessed {
    }

    /** Nothing but transaction markers up to the end offset: no record waits. */
    record Nothing() implements Unprocessed {
    }
}
