package dev.conveyor.bench;

/**
 * When the warm-up rounds may stop: once two rounds in a row are not clearly faster than the best
 * round before them. One round alone can dip (a collection, a compilation, steal) and rise again.
 */
final class WarmUp {

    static final int MAX_ROUNDS = 10;
    /** A round under this multiple of the best round before it is no longer speeding up. */
    static final double CLEARLY_FASTER = 1.10;
    private static final int FLAT_ROUNDS = 2;

    private double best;
    private int notFaster;

    /** Records a round's rate; true once throughput has stopped rising. */
    boolean isWarmAfter(double rate) {
        notFaster = rate < best * CLEARLY_FASTER ? notFaster + 1 : 0;
        best = Math.max(best, rate);
        return notFaster >= FLAT_ROUNDS;
    }
}
