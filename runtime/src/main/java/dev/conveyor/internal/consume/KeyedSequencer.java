package dev.conveyor.internal.consume;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs work with the same ordering key one after another, in submission order, and work with
 * different keys concurrently. Each key holds only the tail of its chain, so memory is bounded by
 * the work in flight, not by the number of keys ever seen.
 */
final class KeyedSequencer {

    private static final CompletableFuture<Void> NOTHING_BEFORE = CompletableFuture.completedFuture(null);

    private final Map<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** Starts {@code work} once every earlier work of {@code key} finished; a null key means no ordering. */
    CompletableFuture<Void> submit(Object key, Supplier<CompletionStage<?>> work) {
        if (key == null) {
            return start(work);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, done);
        (previous == null ? NOTHING_BEFORE : previous).whenComplete((ignored, alsoIgnored) ->
                start(work).whenComplete((r, e) -> {
                    tails.remove(key, done);
                    done.complete(null);
                }));
        return done;
    }

    int activeKeys() {
        return tails.size();
    }

    private static CompletableFuture<Void> start(Supplier<CompletionStage<?>> work) {
        try {
            return work.get().toCompletableFuture().thenApply(r -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
