package dev.conveyor.notifier;

import static dev.conveyor.notifier.WebhookTestChannels.channel;
import static dev.conveyor.notifier.WebhookTestChannels.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

/**
 * A receiver cannot hold a delivery attempt (a notifier slot) past WEBHOOK_TIMEOUT, nor a connection
 * attempt past WEBHOOK_CONNECT_TIMEOUT, nor make it read more than the answer cap.
 */
class WebhookSlowReceiverTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling slack on a busy 2-core machine; the attempt itself is bounded by TIMEOUT. */
    static final Duration SLACK = Duration.ofMillis(750);

    @Test
    void givenAReceiverTricklingItsStatusLineWhenDeliveredThenTheAttemptFailsAtTheTimeout() {
        try (TricklingReceiver receiver = TricklingReceiver.start(TricklingReceiver.Mode.STATUS_LINE_TRICKLE);
             WebhookChannel channel = channel(TIMEOUT, "127.0.0.1")) {
            // given
            long start = System.nanoTime();

            // when / then
            assertThatThrownBy(() -> channel.deliver(result(receiver.url("/slow"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("did not answer within 1000 ms");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("status line trickle: attempt ended after %d ms (timeout %d ms)%n", took.toMillis(), TIMEOUT.toMillis());
            assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plus(SLACK));
        }
    }

    @Test
    void givenAReceiverThatNeverAcceptsTheConnectionWhenDeliveredThenTheAttemptFailsAtTheConnectTimeout() throws Exception {
        // given a listener whose backlog is full: the kernel drops further connection requests, so connecting hangs
        Duration connectTimeout = Duration.ofMillis(300);
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket first = new Socket("127.0.0.1", full.getLocalPort());
             Socket second = new Socket("127.0.0.1", full.getLocalPort());
             WebhookChannel channel = WebhookChannelFactory.create(WebhookTestChannels.settings(Duration.ofSeconds(5), connectTimeout,
                     List.of("127.0.0.1")), InetAddress::getAllByName, new SslContextFactory.Client(), Clock.systemUTC())) {
            long start = System.nanoTime();

            // when / then
            assertThatThrownBy(() -> channel.deliver(result("http://127.0.0.1:" + full.getLocalPort() + "/unreachable")))
                    .isInstanceOf(IOException.class).hasStackTraceContaining("Connect");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("full backlog: attempt ended after %d ms (connect timeout %d ms, attempt timeout 5000 ms)%n", took.toMillis(),
                    connectTimeout.toMillis());
            assertThat(took).isBetween(connectTimeout.minusMillis(50), connectTimeout.plus(SLACK));
        }
    }

    @Test
    void givenA200WithAnEndlessTricklingBodyWhenDeliveredThenTheStatusCountsAndTheAttemptEndsAtTheTimeout() throws Exception {
        try (TricklingReceiver receiver = TricklingReceiver.start(TricklingReceiver.Mode.ENDLESS_SLOW_BODY);
             WebhookChannel channel = channel(TIMEOUT, "127.0.0.1")) {
            // given
            long start = System.nanoTime();

            // when: the 200 arrived, so the delivery is made, whatever the body does after it
            channel.deliver(result(receiver.url("/slow-body")));

            // then
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("endless slow body: attempt ended after %d ms (timeout %d ms), %d bytes sent by the receiver%n",
                    took.toMillis(), TIMEOUT.toMillis(), receiver.bytesSent());
            assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plus(SLACK));
        }
    }

    @Test
    void givenA200WithAnEndlessFastBodyWhenDeliveredThenOnlyUpToTheCapIsReadAndTheAttemptEndsLongBeforeTheTimeout() throws Exception {
        try (TricklingReceiver receiver = TricklingReceiver.start(TricklingReceiver.Mode.ENDLESS_FAST_BODY);
             CapturingReceiver warmUp = CapturingReceiver.start();
             WebhookChannel channel = channel(Duration.ofSeconds(10), "127.0.0.1")) {
            // given a channel past its first request (class loading, thread start), so what is timed is the answer
            channel.deliver(result(warmUp.url("/warm-up")));
            long start = System.nanoTime();

            // when
            channel.deliver(result(receiver.url("/firehose")));

            // then: cut off at the cap, with whatever the socket buffers held
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("endless fast body: attempt ended after %d ms, %d bytes sent by the receiver (cap %d)%n",
                    took.toMillis(), receiver.bytesSent(), WebhookSettings.MAX_RESPONSE_BYTES);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        }
    }
}
