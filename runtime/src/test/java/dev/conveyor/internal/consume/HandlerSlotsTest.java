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
            slots.submit(new HandlerSlots.Work(() -> {
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
            slots.submit(new HandlerSlots.Work(() -> started.add(n), refused -> { }));
        }
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
            slots.submit(new HandlerSlots.Work(() -> ranOn.add(Thread.currentThread()), refused -> { }));
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

        slots.submit(new HandlerSlots.Work(() -> { }, refusals::add));

        assertThat(refusals).hasSize(1);
        assertThat(slots.running()).isZero();
    }

    @Test
    void givenWorkWaitingWhenClosedThenItIsRefusedOnceTheRunningWorkEnds() {
        HandlerSlots slots = new HandlerSlots(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RejectedExecutionException> refusals = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        slots.submit(new HandlerSlots.Work(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        }, refusals::add));
        slots.submit(new HandlerSlots.Work(ran::incrementAndGet, refusals::add));

        slots.close();
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> refusals.size() == 1);
        assertThat(ran.get()).isEqualTo(1);
        assertThat(slots.waiting()).isZero();
    }

    /** Work that does {@code first}, then keeps its slot until {@code release} opens. */
    static HandlerSlots.Work holdingTheSlot(Runnable first, CountDownLatch release) {
        return new HandlerSlots.Work(() -> {
            first.run();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, refused -> { });
    }
}
