package dev.conveyor.notifier;

import static dev.conveyor.notifier.WebhookTestChannels.channel;
import static dev.conveyor.notifier.WebhookTestChannels.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.DeliveryAttempt;
import dev.conveyor.DeliveryBlockedException;
import dev.conveyor.DeliveryRefusedException;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.schema.TaskStatus;
import dev.conveyor.webhooks.WebhookVerifier;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    CapturingReceiver receiver;
    WebhookChannel channel;

    @BeforeEach
    void setUp() {
        receiver = CapturingReceiver.start();
        channel = channel(TIMEOUT, "127.0.0.1:" + receiver.port());
    }

    @AfterEach
    void tearDown() {
        channel.close();
        receiver.close();
    }

    @Test
    void givenAnAllowlistedReceiverWhenDeliveredThenItGetsOneSignedJsonPostThatVerifies() throws Exception {
        // given
        TaskResult result = result(receiver.url("/hooks/ok"));

        // when
        channel.deliver(result, new DeliveryAttempt("t-1", 0, "webhook", 1));

        // then
        CapturingReceiver.Request request = receiver.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Conveyor-Task-Id")).isEqualTo("t-1");
        assertThat(request.header("Idempotency-Key")).isEqualTo("t-1");
        assertThat(request.header("User-Agent")).isEqualTo(WebhookHttpClient.USER_AGENT);
        assertThat(request.header("webhook-id")).isEqualTo(new DeliveryAttempt("t-1", 0, "webhook", 1).deliveryId());
        assertThat(request.bodyText()).isEqualTo(ResultJson.of(result));
        assertThat(WebhookVerifier.of(WebhookTestChannels.SECRET).verify(request::header, request.body()).id())
                .isEqualTo(request.header("webhook-id"));
    }

    @Test
    void givenATracedDeliveryThenTheReceiverGetsTheTaskTraceparentUnchangedAndAnUntracedOneNone() throws Exception {
        // given
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        TaskResult result = result(receiver.url("/traced"));

        // when
        channel.deliver(result, new DeliveryAttempt("t-1", 0, "webhook", 1, trace));
        channel.deliver(result, new DeliveryAttempt("t-1", 0, "webhook", 2));

        // then
        assertThat(receiver.requests().get(0).header("traceparent")).isEqualTo(trace);
        assertThat(receiver.requests().get(1).header("traceparent")).isNull();
    }

    @Test
    void givenRetriesOfOneDeliveryThenEveryAttemptCarriesTheSameWebhookIdAndAReplayedRunAnother() throws Exception {
        // given
        TaskResult result = result(receiver.url("/x"));

        // when
        channel.deliver(result, new DeliveryAttempt("t-1", 0, "webhook", 1));
        channel.deliver(result, new DeliveryAttempt("t-1", 0, "webhook", 2));
        channel.deliver(result, new DeliveryAttempt("t-1", 1_767_225_600_000L, "webhook", 1));

        // then
        List<String> ids = receiver.requests().stream().map(r -> r.header("webhook-id")).toList();
        assertThat(ids.get(0)).isEqualTo(ids.get(1));
        assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
    }

    @Test
    void givenAReceiverThatRefusesWhenDeliveredThenItIsNotRetried() {
        // given
        AtomicInteger calls = new AtomicInteger();
        receiver.answerWith(request -> {
            calls.incrementAndGet();
            return 422;
        });

        // when / then
        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(DeliveryRefusedException.class).isNotInstanceOf(DeliveryBlockedException.class).hasMessageContaining("HTTP 422");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void givenAFailingOrThrottlingReceiverWhenDeliveredThenTheAttemptFailsRetryably() {
        // given
        AtomicInteger calls = new AtomicInteger();
        receiver.answerWith(request -> calls.incrementAndGet() == 1 ? 500 : 429);

        // when / then
        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/x"))))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 429");
        assertThat(calls.get()).as("one request per attempt: retries go through the tiers").isEqualTo(2);
    }

    @Test
    void givenARedirectWhenDeliveredThenItIsNotFollowedAndTheAttemptFailsSayingWhere() {
        // given a receiver that redirects to an internal address
        receiver.answerWith(request -> 302).answerHeaders(Map.of("Location", "http://169.254.169.254/latest/meta-data/"));

        // when / then
        assertThatThrownBy(() -> channel.deliver(result(receiver.url("/moved"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 302 to http://169.254.169.254/latest/meta-data/")
                .hasMessageContaining("redirects are not followed");
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void givenALoopbackReceiverThatIsNotAllowlistedWhenDeliveredThenNothingIsSentAndTheDeliveryIsBlocked() {
        // given
        try (WebhookChannel strict = channel(TIMEOUT)) {
            // when / then
            assertThatThrownBy(() -> strict.deliver(result(receiver.url("/internal-admin"))))
                    .isInstanceOf(DeliveryBlockedException.class)
                    .hasMessageContaining("127.0.0.1 is loopback (127.0.0.0/8)")
                    .hasMessageContaining("not in WEBHOOK_ALLOWED_NETWORKS")
                    .satisfies(e -> assertThat(((DeliveryBlockedException) e).rule()).isEqualTo("loopback"));
            assertThatThrownBy(() -> strict.deliver(result("http://localhost:" + receiver.port() + "/internal-admin")))
                    .isInstanceOf(DeliveryBlockedException.class)
                    .hasMessageMatching("(?s).*localhost resolves to (127\\.0\\.0\\.1|::1) is loopback.*");
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void givenAnAllowlistedAddressOnAnotherPortWhenDeliveredThenItIsBlocked() {
        // given
        try (WebhookChannel other = channel(TIMEOUT, "127.0.0.1:1")) {
            // when / then
            assertThatThrownBy(() -> other.deliver(result(receiver.url("/x")))).isInstanceOf(DeliveryBlockedException.class);
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void givenACallbackUrlInAFormNoWebhookTakesWhenDeliveredThenItIsBlockedWithoutResolvingIt() {
        // given a result written to tasks.results by someone other than the gateway
        for (String url : List.of("ftp://127.0.0.1/x", "http://user:pw@127.0.0.1:" + receiver.port() + "/x",
                "http://2130706433:" + receiver.port() + "/x", "http://0x7f.1:" + receiver.port() + "/x")) {
            // when / then
            assertThatThrownBy(() -> channel.deliver(result(url))).as(url).isInstanceOf(DeliveryBlockedException.class)
                    .hasMessageContaining("callbackUrl");
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void givenAResultWithoutCallbackThenTheChannelDoesNotTakeIt() {
        assertThat(channel.accepts(result(null))).isFalse();
        assertThat(channel.accepts(result(receiver.url("/x")))).isTrue();
    }

    @Test
    void givenAFailedResultWhenRenderedThenErrorAndReasonAreInTheJson() {
        // given
        TaskResult failed = TaskResult.newBuilder(result(null)).setStatus(TaskStatus.FAILED).setOutput("not json")
                .setError("java.lang.IllegalStateException: boom").setReason("RETRIES_EXHAUSTED").build();

        // when
        String json = ResultJson.of(failed);

        // then
        assertThat(json).contains("\"status\":\"FAILED\"").contains("\"error\":\"java.lang.IllegalStateException: boom\"")
                .contains("\"reason\":\"RETRIES_EXHAUSTED\"").contains("\"output\":\"not json\"");
    }
}
