package dev.conveyor.bench;

/**
 * What the raw relay moves: the bytes a source sends, what the relay makes of each record it consumes,
 * and where the sink finds a record's send time and sequence number. Each method is called from one
 * thread only (source, relay, sink), so an implementation may keep per-role state unsynchronized.
 */
interface RelayedRecords extends AutoCloseable {

    byte[] source(int index, long sentAtNanos);

    byte[] relay(byte[] consumed);

    Stamp read(byte[] delivered);

    @Override
    default void close() {
    }

    record Stamp(long sentAtNanos, int index) {
    }
}
