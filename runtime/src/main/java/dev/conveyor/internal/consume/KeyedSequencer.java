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

    /**
     * Starts {@code work} once every earlier work of {@code key} finished (successfully or not); a null
     * key means no ordering. The returned future completes as the work does, failure included.
     */
    <T> CompletableFuture<T> submit(Object key, Supplier<? extends CompletionStage<T>> work) {
        if (key == null) {
            return start(work);
        }
        CompletableFuture<Void> tail = new CompletableFuture<>();
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, tail);
        (previous == null ? NOTHING_BEFORE : previous).whenComplete((ignored, alsoIgnored) ->
                start(work).whenComplete((r, e) -> {
                    tails.remove(key, tail);
                    tail.complete(null);
                    if (e == null) {
                        result.complete(r);
                    } else {
                        result.completeExceptionally(e);
                    }
                }));
        return result;
    }

    int activeKeys() {
        return tails.size();
    }

    private static <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<T>> work) {
        try {
            return work.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
