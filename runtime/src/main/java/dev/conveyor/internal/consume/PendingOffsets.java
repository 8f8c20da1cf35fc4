package dev.conveyor.internal.consume;

/**
 * The unfinished offsets of one partition, in a ring of the offsets handed out in order with a done
 * flag each: the poll thread appends, any thread finishes, and the lowest unfinished offset is the
 * head once finished ones are dropped from it. A skip list did the same with a boxed node per
 * offset; this is an array slot, and one short lock per call.
 */
final class PendingOffsets {

    static final long NONE = -1;
    private static final int INITIAL_CAPACITY = 64;

    private long[] offsets = new long[INITIAL_CAPACITY];
    private boolean[] done = new boolean[INITIAL_CAPACITY];
    // logical index i lives at (head + i) & (capacity - 1)
    private int head;
    private int size;

    /** Adds an unfinished offset; offsets normally arrive in increasing order, others are inserted in place. */
    synchronized void add(long offset) {
        if (size == offsets.length) {
            grow();
        }
        int at = size;
        if (size > 0 && offset <= offsets[slot(size - 1)]) {
            at = search(offset);
            if (at >= 0) {
                return;
            }
            at = -at - 1;
            for (int i = size; i > at; i--) {
                offsets[slot(i)] = offsets[slot(i - 1)];
                done[slot(i)] = done[slot(i - 1)];
            }
        }
        offsets[slot(at)] = offset;
        done[slot(at)] = false;
        size++;
    }

    /** Marks the offset finished; false if it was not pending (never added, or already finished). */
    synchronized boolean finish(long offset) {
        int at = search(offset);
        if (at < 0 || done[slot(at)]) {
            return false;
        }
        done[slot(at)] = true;
        while (size > 0 && done[head]) {
            head = (head + 1) & (offsets.length - 1);
            size--;
        }
        return true;
    }

    /** The lowest unfinished offset, or {@link #NONE}. */
    synchronized long lowest() {
        return size == 0 ? NONE : offsets[head];
    }

    private int slot(int logical) {
        return (head + logical) & (offsets.length - 1);
    }

    /** Binary search over the logical order: the index, or {@code -(insertion point) - 1}. */
    private int search(long offset) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long value = offsets[slot(mid)];
            if (value < offset) {
                low = mid + 1;
            } else if (value > offset) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private void grow() {
        long[] biggerOffsets = new long[offsets.length * 2];
        boolean[] biggerDone = new boolean[offsets.length * 2];
        for (int i = 0; i < size; i++) {
            biggerOffsets[i] = offsets[slot(i)];
            biggerDone[i] = done[slot(i)];
        }
        offsets = biggerOffsets;
        done = biggerDone;
        head = 0;
    }
}
