package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

    final KeyedSequencer sequencer = new KeyedSequencer();

    @Test
    void givenWorkOfOneKeyThenItRunsOneAtATimeInSubmissionOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> firstDone = new CompletableFuture<>();

        sequencer.submit("k", until("k", () -> {
            events.add("start-1");
            return firstDone.thenRun(() -> events.add("end-1"));
        }));
        sequencer.submit("k", until("k", () -> {
            events.add("start-2");
            return CompletableFuture.completedFuture(null);
        }));

        assertThat(events).containsExactly("start-1");
        firstDone.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("start-2"));
        assertThat(events).containsExactly("start-1", "end-1", "start-2");
    }

    @Test
    void givenASlowKeyThenOtherKeysAreNotHeldBack() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        sequencer.submit("slow", until("slow", () -> slow));
        CompletableFuture<Void> otherRan = new CompletableFuture<>();

        sequencer.submit("fast", until("fast", () -> {
            otherRan.complete(null);
            return otherRan;
        }));

        await().atMost(Duration.ofSeconds(5)).until(otherRan::isDone);
        assertThat(slow).isNotDone();
        slow.complete(null);
    }

    @Test
    void givenFailingWorkThenTheNextWorkOfItsKeyStillRuns() {
        CompletableFuture<Void> nextRan = new CompletableFuture<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        sequencer.submit("k", until("k", () -> first));
        sequencer.submit("k", held -> {
            throw new IllegalStateException("thrown by start: it will never release the key");
        });

        sequencer.submit("k", until("k", () -> {
            nextRan.complete(null);
            return nextRan;
        }));
        first.completeExceptionally(new IllegalStateException("boom"));

        await().atMost(Duration.ofSeconds(5)).until(nextRan::isDone);
        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenWorkThatReleasesItsKeyAndThenThrowsThenTheNextWorkKeepsTheKeyUntilItReleasesIt() {
        // given: a holder, then a work that releases the key and throws, then one that holds the key for a while
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        List<String> events = new CopyOnWriteArrayList<>();
        sequencer.submit("k", until("k", () -> first));
        sequencer.submit("k", held -> {
            held.release();
            throw new IllegalStateException("thrown after releasing");
        });
        sequencer.submit("k", until("k", () -> {
            events.add("third started");
            return third;
        }));

        // when
        first.complete(null);
        sequencer.submit("k", until("k", () -> {
            events.add("fourth started");
            return CompletableFuture.completedFuture(null);
        }));

        // then: the fourth waits for the third, which the throwing work's release started
        assertThat(events).containsExactly("third started");
        assertThat(sequencer.activeKeys()).isEqualTo(1);
        third.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("fourth started"));
        assertThat(events).containsExactly("third started", "fourth started");
        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenFinishedKeysThenNoChainIsKept() {
        for (int i = 0; i < 100; i++) {
            String key = "key-" + i;
            sequencer.submit(key, until(key, () -> CompletableFuture.completedFuture(null)));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenUnfinishedWorkThenItsKeyStaysUntilItEnds() {
        CompletableFuture<Void> running = new CompletableFuture<>();
        sequencer.submit("k", until("k", () -> running));

        assertThat(sequencer.activeKeys()).isEqualTo(1);
        running.complete(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenReleasesOnOtherThreadsWhileWorkIsSubmittedThenEachKeyRunsInOrderOneAtATime() {
        // given: releases race with submissions, as handlers finishing on worker threads race with the poll thread
        ExecutorService workers = Executors.newFixedThreadPool(4);
        Map<String, List<Integer>> ran = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> holding = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        int perKey = 2_000;
        try {
            // when
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < 8; k++) {
                    String key = "key-" + k;
                    int n = i;
                    sequencer.submit(key, held -> {
                        if (holding.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        ran.computeIfAbsent(key, x -> new CopyOnWriteArrayList<>()).add(n);
                        workers.execute(() -> {
                            holding.get(key).decrementAndGet();
                            held.release();
                        });
                    });
                }
            }

            // then
            await().atMost(Duration.ofSeconds(20)).until(() -> sequencer.activeKeys() == 0);
            List<Integer> inOrder = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                inOrder.add(i);
            }
            assertThat(ran).hasSize(8).allSatisfy((key, order) -> assertThat(order).isEqualTo(inOrder));
            assertThat(overlaps).hasValue(0);
        } finally {
            workers.shutdownNow();
        }
    }

    /** Work that holds its key until the stage it returns completes, as the consumer's records do. */
    private static KeyedSequencer.Sequenced until(String key, Supplier<CompletionStage<?>> work) {
        return held -> work.get().whenComplete((ignored, alsoIgnored) -> held.release());
    }
}
