package dev.conveyor.processor.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.conveyor.Env;
import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import dev.conveyor.stack.FreePorts;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code email.send} against a real SMTP server (GreenMail): what it sends, and what it refuses to send. */
class EmailSendHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static GreenMail smtp;
    static TaskHandler handler;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        handler = new EmailSendHandler().create(Env.of(Map.of("SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()))));
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    @Test
    void givenAPlainMailThenItIsSentWithTheTaskIdAsMessageIdAndTheOutputIsJson() throws Exception {
        // given
        TaskContext task = task("{\"to\":\"ada@example.com\",\"subject\":\"Grüße\",\"body\":\"line one\\r\\n.\\r\\nline three\"}");

        // when
        String output = handler.handle(task);

        // then
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("Grüße");
        assertThat(received[0].getMessageID()).isEqualTo("<" + task.id() + "@conveyor>");
        assertThat(received[0].getHeader("Bcc")).isNull();
        // a line of one dot in the body is the mail's text, not the end of the SMTP data
        assertThat(((String) received[0].getContent()).replace("\r\n", "\n")).isEqualTo("line one\n.\nline three");
        assertThat(JSON.readTree(output).path("sentTo").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void givenARecipientWithAQuoteOrBackslashThenTheOutputIsStillValidJson() throws Exception {
        // given: a quoted local part is a valid address, and used to break the hand-built output
        TaskContext task = task("{\"to\":\"\\\"odd\\\\\\\\name\\\"@example.com\"}");

        // when
        String output = handler.handle(task);

        // then
        assertThat(JSON.readTree(output).path("sentTo").asText()).isEqualTo("\"odd\\\\name\"@example.com");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    static Stream<Arguments> headerInjections() {
        return Stream.of(
                Arguments.of("{\"to\":\"ada@example.com\\r\\nBcc: eve@example.com\"}", "payload.to", "U+000D (CR) at 15"),
                Arguments.of("{\"to\":\"ada@example.com\\nBcc: eve@example.com\"}", "payload.to", "U+000A (LF)"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"hi\\r\\nBcc: eve@example.com\"}", "payload.subject", "U+000D (CR) at 2"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"hi\\n\\nforged body\"}", "payload.subject", "U+000A (LF)"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"hi\\rBcc: eve@example.com\"}", "payload.subject", "U+000D (CR)"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"nul\\u0000byte\"}", "payload.subject", "U+0000 (NUL)"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"tab\\tbed\"}", "payload.subject", "U+0009 (TAB)"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"next\\u0085line\"}", "payload.subject", "U+0085"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"line\\u2028separator\"}", "payload.subject", "U+2028"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":\"esc\\u001b[2J\"}", "payload.subject", "U+001B"));
    }

    @ParameterizedTest
    @MethodSource("headerInjections")
    void givenALineBreakOrControlCharacterInAHeaderBoundFieldThenTheTaskIsRefusedAsNonRetryableAndNothingIsSent(
            String payload, String field, String character) {
        // given
        TaskContext task = task(payload);

        // when / then
        assertThatThrownBy(() -> handler.handle(task))
                .isInstanceOf(NonRetryableTaskException.class)
                .hasMessageStartingWith(field + " contains a line break or control character")
                .hasMessageContaining(character)
                .hasMessageContaining("not sent");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void givenATaskIdWithALineBreakThenItNeverBecomesTheMessageIdHeader() {
        // given: a task written straight to Kafka, whose id the gateway never drew
        TaskContext task = new TaskContext("id\r\nBcc: eve@example.com", "email.send", "k", "{\"to\":\"ada@example.com\"}", 1, 3,
                Map.of(), Instant.now());

        // when / then
        assertThatThrownBy(() -> handler.handle(task)).isInstanceOf(NonRetryableTaskException.class)
                .hasMessageStartingWith("the task id (the mail's Message-ID) contains a line break");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    static Stream<Arguments> unsendable() {
        return Stream.of(
                Arguments.of("{}", "payload.to is required"),
                Arguments.of("{\"to\":\"  \"}", "payload.to is required"),
                Arguments.of("{\"to\":42}", "payload.to must be a string"),
                Arguments.of("{\"to\":[\"ada@example.com\"]}", "payload.to must be a string"),
                Arguments.of("{\"to\":\"ada@example.com\",\"subject\":{\"x\":1}}", "payload.subject must be a string"),
                Arguments.of("{\"to\":\"not an address\"}", "payload.to is not a list of mail addresses"),
                Arguments.of("{\"to\":\"ada@@example.com\"}", "payload.to is not a list of mail addresses"),
                Arguments.of("[\"ada@example.com\"]", "the payload must be an object"),
                Arguments.of("not json", "the payload is not JSON"));
    }

    @ParameterizedTest
    @MethodSource("unsendable")
    void givenAPayloadNoAttemptCouldSendThenItIsRefusedAsNonRetryable(String payload, String reason) {
        assertThatThrownBy(() -> handler.handle(task(payload))).isInstanceOf(NonRetryableTaskException.class).hasMessageStartingWith(reason);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    static TaskContext task(String payload) {
        return new TaskContext(UUID.randomUUID().toString(), "email.send", "k", payload, 1, 3, Map.of(), Instant.now());
    }
}
