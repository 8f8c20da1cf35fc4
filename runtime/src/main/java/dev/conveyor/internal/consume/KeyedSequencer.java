package dev.conveyor.internal.consume;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs work with the same ordering key one after another, in submission order, and work with
 * different keys concurrently. Each key holds only the tail of its chain, so memory is bounded by
 * the work in flight, not by the number of keys ever seen. Nothing is handed back to the submitter:
 * the work reports its own outcome, and a result future per record was built and never read.
 */
final class KeyedSequencer {

    private final Map<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Starts {@code work} once every earlier work of {@code key} finished (successfully or not); a null
     * key means no ordering. The key's next work starts when the stage {@code work} returns completes.
     */
    void submit(Object key, Supplier<? extends CompletionStage<?>> work) {
        if (key == null) {
            start(work);
            return;
        }
        CompletableFuture<Void> tail = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, tail);
        if (previous == null) {
            startThenPass(key, tail, work);
        } else {
            previous.whenComplete((ignored, alsoIgnored) -> startThenPass(key, tail, work));
        }
    }

    int activeKeys() {
        return tails.size();
    }

    /** Runs the work and, once it is done, passes the key on to whatever was submitted after it. */
    private void startThenPass(Object key, CompletableFuture<Void> tail, Supplier<? extends CompletionStage<?>> work) {
        start(work).whenComplete((ignored, alsoIgnored) -> {
            tails.remove(key, tail);
            tail.complete(null);
        });
    }

    private static CompletionStage<?> start(Supplier<? extends CompletionStage<?>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
