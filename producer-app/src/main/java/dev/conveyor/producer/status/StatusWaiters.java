package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskStatusView;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polling requests parked until their task turns terminal or their wait ends, without a
 * thread each: a future per request, completed by the stream thread's {@link #terminal} call or by
 * the one deadline thread. Futures complete on fresh virtual threads, so whatever the request does
 * next (read the store again, forward, write the answer) never runs on the stream thread or holds up
 * other deadlines. Parked requests are bounded: past the limit a request is refused at once.
 */
public final class StatusWaiters implements TerminalListener, AutoCloseable {

    private final int limit;
    private final AtomicInteger parked = new AtomicInteger();
    private final ConcurrentHashMap<String, Set<CompletableFuture<TaskStatusView>>> byTask = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor deadlines;
    private final Executor completions = command -> Thread.ofVirtual().name("status-wait-answer").start(command);

    public StatusWaiters(int limit) {
        this.limit = limit;
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().name("status-wait-deadlines").daemon().unstarted(task));
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /** Takes one of the limited places for a parked request; false when none is left. Give it back with {@link #release}. */
    boolean tryReserve() {
        while (true) {
            int now = parked.get();
            if (now >= limit) {
                return false;
            }
            if (parked.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        parked.decrementAndGet();
    }

    int parked() {
        return parked.get();
    }

    int limit() {
        return limit;
    }

    /**
     * Completes with the task's status once the view applies a terminal transition to it, or with null
     * when {@code wait} ends. Takes over a reservation from {@link #tryReserve}, given back on completion.
     */
    CompletableFuture<TaskStatusView> await(String taskId, Duration wait) {
        CompletableFuture<TaskStatusView> waiter = new CompletableFuture<>();
        // added and removed inside compute, so a set emptied by another request's completion is never added to
        byTask.compute(taskId, (id, waiters) -> {
            Set<CompletableFuture<TaskStatusView>> set = waiters != null ? waiters : ConcurrentHashMap.newKeySet();
            set.add(waiter);
            return set;
        });
        ScheduledFuture<?> deadline = deadlines.schedule(() -> completions.execute(() -> waiter.complete(null)),
                wait.toNanos(), TimeUnit.NANOSECONDS);
        waiter.whenComplete((status, failure) -> {
            deadline.cancel(false);
            byTask.computeIfPresent(taskId, (id, waiters) -> {
                waiters.remove(waiter);
                return waiters.isEmpty() ? null : waiters;
            });
            release();
        });
        return waiter;
    }

    @Override
    public void terminal(String taskId, TaskStatusView status) {
        Set<CompletableFuture<TaskStatusView>> waiters = byTask.get(taskId);
        if (waiters != null) {
            for (CompletableFuture<TaskStatusView> waiter : waiters) {
                completions.execute(() -> waiter.complete(status));
            }
        }
    }

    /** Ends every wait now, as if its time were up. */
    @Override
    public void close() {
        deadlines.shutdownNow();
        byTask.values().forEach(waiters -> waiters.forEach(waiter -> completions.execute(() -> waiter.complete(null))));
    }
}
