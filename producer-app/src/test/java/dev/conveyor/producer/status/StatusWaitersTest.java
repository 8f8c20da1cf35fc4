package dev.conveyor.producer.status;

import static dev.conveyor.producer.status.Events.event;
import static dev.conveyor.schema.TaskEventKind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.schema.TaskStatusView;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusWaitersTest {

    final StatusWaiters waiters = new StatusWaiters(2);

    @AfterEach
    void close() {
        waiters.close();
    }

    @Test
    void givenParkedRequestsThenATerminalTransitionCompletesThoseOfItsTaskOnly() throws Exception {
        // given two requests on task a, one on task b... of which only two places exist
        assertThat(waiters.tryReserve()).isTrue();
        CompletableFuture<TaskStatusView> first = waiters.await("a", Duration.ofMinutes(1));
        assertThat(waiters.tryReserve()).isTrue();
        CompletableFuture<TaskStatusView> other = waiters.await("b", Duration.ofMinutes(1));

        // then a third finds no place
        assertThat(waiters.tryReserve()).isFalse();

        // when task a succeeds
        TaskStatusView succeeded = TaskStatusFold.apply(null, event("a", SUCCEEDED, 1, 1).build());
        waiters.terminal("a", succeeded);

        // then its request has the status, the other still waits, and its place is free again
        assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(succeeded);
        assertThat(other).isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.parked() == 1);
        assertThat(waiters.tryReserve()).isTrue();
    }

    @Test
    void givenAWaitThatEndsThenItCompletesWithNothingAndFreesItsPlace() throws Exception {
        // given
        assertThat(waiters.tryReserve()).isTrue();

        // when
        CompletableFuture<TaskStatusView> waiting = waiters.await("a", Duration.ofMillis(20));

        // then
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.parked() == 0);
    }

    @Test
    void givenAClosedRegistryThenEveryWaitEndsAtOnce() throws Exception {
        // given
        assertThat(waiters.tryReserve()).isTrue();
        CompletableFuture<TaskStatusView> waiting = waiters.await("a", Duration.ofMinutes(1));

        // when
        waiters.close();

        // then
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
    }
}
