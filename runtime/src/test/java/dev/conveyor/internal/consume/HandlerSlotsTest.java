package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandlerSlotsTest {

    @Test
    void givenMoreWorkThanSlotsThenOnlyTheLimitRunsAndTheRestWaitsForAFreeSlot() throws Exception {
        HandlerSlots slots = new HandlerSlots(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> started = new CopyOnWriteArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();

        for (int i = 0; i < 6; i++) {
            int n = i;
            slots.submit(work(() -> {
                started.add(n);
                mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                concurrent.decrementAndGet();
            }, refused -> { }));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
        assertThat(slots.running()).isEqualTo(2);
        assertThat(slots.waiting()).isEqualTo(4);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 6 && slots.running() == 0);
        assertThat(mostConcurrent.get()).isEqualTo(2);
        assertThat(started.subList(0, 2)).containsExactlyInAnyOrder(0, 1);
        assertThat(started).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void givenOneSlotThenWaitingWorkStartsInSubmissionOrder() {
        HandlerSlots slots = new HandlerSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> started = new CopyOnWriteArrayList<>();

        slots.submit(holdingTheSlot(() -> started.add(0), release));
        for (int i = 1; i < 5; i++) {
            int n = i;
            slots.submit(work(() -> started.add(n), refused -> { }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 1);
        assertThat(slots.waiting()).isEqualTo(4);

        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 5);
        assertThat(started).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void givenWorkWaitingWhenAWorkEndsThenItsThreadRunsTheNextInARowUpToTheBound() {
        HandlerSlots slots = new HandlerSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        slots.submit(holdingTheSlot(() -> ranOn.add(Thread.currentThread()), release));
        int works = HandlerSlots.WORKS_PER_THREAD + 2;
        for (int i = 1; i < works; i++) {
            slots.submit(work(() -> ranOn.add(Thread.currentThread()), refused -> { }));
        }

        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == works && slots.running() == 0);
        assertThat(ranOn.subList(0, HandlerSlots.WORKS_PER_THREAD)).containsOnly(ranOn.get(0));
        assertThat(ranOn.get(HandlerSlots.WORKS_PER_THREAD)).isNotSameAs(ranOn.get(0));
        assertThat(ranOn.get(HandlerSlots.WORKS_PER_THREAD + 1)).isSameAs(ranOn.get(HandlerSlots.WORKS_PER_THREAD));
    }

    @Test
    void givenClosedSlotsThenSubmittedWorkIsRefusedNotLost() {
        HandlerSlots slots = new HandlerSlots(1);
        slots.close();
        List<RejectedExecutionException> refusals = new CopyOnWriteArrayList<>();

        slots.submit(work(() -> { }, refusals::add));

        assertThat(refusals).hasSize(1);
        assertThat(slots.running()).isZero();
    }

    @Test
    void givenWorkWaitingWhenClosedThenItIsRefusedAndTheRunningWorkFinishes() {
        HandlerSlots slots = new HandlerSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RejectedExecutionException> refusals = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        slots.submit(work(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        }, refusals::add));
        await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);
        slots.submit(work(ran::incrementAndGet, refusals::add));

        slots.close();
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1 && slots.running() == 0);
        assertThat(refusals).hasSize(1);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void givenABurstOfQuickWorksBelowTheLimitThenThreadsTakeThemInRowsInsteadOfOneThreadEach() {
        // given: room for a thread per work
        HandlerSlots slots = new HandlerSlots(10_000);
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger ran = new AtomicInteger();
        int works = 64 * 20;

        // when
        for (int i = 0; i < works; i++) {
            slots.submit(work(() -> {
                threads.add(Thread.currentThread());
                ran.incrementAndGet();
            }, refused -> { }));
        }

        // then: a thread is started only when none is on its way to the queue
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == works && slots.running() == 0);
        assertThat(threads).hasSizeLessThan(works / 4);
    }

    @Test
    void givenWorksThatBlockThenEachGetsAThreadUpToTheLimit() {
        // given
        HandlerSlots slots = new HandlerSlots(50);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();

        // when: more blocking works than the limit
        for (int i = 0; i < 80; i++) {
            slots.submit(holdingTheSlot(blocked::incrementAndGet, release));
        }

        // then: the limit is reached although every work blocks its thread, and not passed
        await().atMost(Duration.ofSeconds(5)).until(() -> blocked.get() == 50);
        assertThat(slots.running()).isEqualTo(50);
        assertThat(slots.waiting()).isEqualTo(30);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> blocked.get() == 80 && slots.running() == 0);
    }

    @Test
    void givenARefusalThatSubmitsMoreWorkThenThatWorkIsRefusedTooWithoutRecursing() {
        // given: closed slots, and works whose refusal submits the next one, as a record's refusal passes its key on
        HandlerSlots slots = new HandlerSlots(1);
        slots.close();
        AtomicInteger refusals = new AtomicInteger();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        int chain = 10_000;
        java.util.function.IntFunction<HandlerSlots.Work>[] link = new java.util.function.IntFunction[1];
        link[0] = n -> work(() -> { }, refused -> {
            deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
            refusals.incrementAndGet();
            if (n + 1 < chain) {
                slots.submit(link[0].apply(n + 1));
            }
            depth.decrementAndGet();
        });

        // when
        slots.submit(link[0].apply(0));

        // then
        assertThat(refusals).hasValue(chain);
        assertThat(deepest).hasValue(1);
    }

    static HandlerSlots.Work work(Runnable run, java.util.function.Consumer<RejectedExecutionException> refused) {
        return new HandlerSlots.Work() {
            @Override
            public void run() {
                run.run();
            }

            @Override
            public void refused(RejectedExecutionException shuttingDown) {
                refused.accept(shuttingDown);
            }
        };
    }

    /** Work that does {@code first}, then keeps its slot until {@code release} opens. */
    static HandlerSlots.Work holdingTheSlot(Runnable first, CountDownLatch release) {
        return work(() -> {
            first.run();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, refused -> { });
    }
}
