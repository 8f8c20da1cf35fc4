package dev.conveyor.notifier;

import dev.conveyor.DeliveryRefusedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.stack.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {

    WebhookReceiver receiver;
    HttpClient http;
    WebhookChannel channel;

    @BeforeEach
    void setUp() {
        receiver = WebhookReceiver.start();
        http = HttpClient.newHttpClient();
        channel = new WebhookChannel(http, Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        http.close();
    }

    @Test
    void givenAReceiverThatRefusesWhenDeliveredThenItIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        receiver.answerWith(() -> {
            calls.incrementAndGet();
            return 422;
        });

        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(DeliveryRefusedException.class).hasMessageContaining("HTTP 422");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void givenAFailingOrThrottlingReceiverWhenDeliveredThenTheAttemptFailsRetryably() {
        AtomicInteger calls = new AtomicInteger();
        receiver.answerWith(() -> calls.incrementAndGet() == 1 ? 500 : 429);

        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 429");
        assertThat(calls.get()).as("one request per attempt: retries go through the tiers").isEqualTo(2);
    }

    @Test
    void givenAResultWithoutCallbackThenTheChannelDoesNotTakeIt() {
        assertThat(channel.accepts(result(null))).isFalse();
        assertThat(channel.accepts(result(receiver.url("/x")))).isTrue();
    }

    @Test
    void givenAFailedResultWhenRenderedThenErrorAndReasonAreInTheJson() {
        TaskResult failed = TaskResult.newBuilder(result(null)).setStatus(TaskStatus.FAILED).setOutput("not json")
                .setError("java.lang.IllegalStateException: boom").setReason("RETRIES_EXHAUSTED").build();

        String json = ResultJson.of(failed);

        assertThat(json).contains("\"status\":\"FAILED\"").contains("\"error\":\"java.lang.IllegalStateException: boom\"")
                .contains("\"reason\":\"RETRIES_EXHAUSTED\"").contains("\"output\":\"not json\"");
    }

    static TaskResult result(String callbackUrl) {
        Instant now = Instant.now();
        return TaskResult.newBuilder().setTaskId("t-1").setType("echo").setKey("t-1").setStatus(TaskStatus.SUCCEEDED).setAttempts(1)
                .setOutput("{}").setError(null).setReason(null).setSubmittedAt(now).setStartedAt(now).setCompletedAt(now)
                .setCallbackUrl(callbackUrl).setHeaders(Map.of()).build();
    }
}
