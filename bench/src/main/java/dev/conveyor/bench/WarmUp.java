package dev.conveyor.bench;

/**
 * When the warm-up rounds may stop: once two rounds in a row are not clearly faster than the best
 * round before them, and not before the sixth. One round alone can dip (a collection, a compilation,
 * steal) and rise again; and early rounds can be flat while the compilers are still busy, which
 * would stop a warm-up that looked only at the last round well below the scenarios' speed.
 */
final class WarmUp {

    static final int MAX_ROUNDS = 10;
    static final int MIN_ROUNDS = 6;
    /** A round under this multiple of the best round before it is no longer speeding up. */
    static final double CLEARLY_FASTER = 1.10;
    private static final int FLAT_ROUNDS = 2;

    private double best;
    private int notFaster;
    private int rounds;

    /** Records a round's rate; true once throughput has stopped rising. */
    boolean isWarmAfter(double rate) {
        notFaster = rate < best * CLEARLY_FASTER ? notFaster + 1 : 0;
        best = Math.max(best, rate);
        rounds++;
        return rounds >= MIN_ROUNDS && notFaster >= FLAT_ROUNDS;
    }
}
