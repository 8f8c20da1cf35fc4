package dev.conveyor.processor.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.TaskContext;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * {@code email.send}: sends a real mail over SMTP. Payload {@code {"to", "subject", "body"}}.
 * Configured by {@code SMTP_HOST}, {@code SMTP_PORT}, {@code SMTP_FROM}. The task's idempotency key
 * goes out as the Message-ID, so a receiving system can drop a mail a redone attempt sent twice. A
 * payload no attempt could send, or one that would inject headers, is refused as non-retryable
 * ({@link MailRequest}).
 */
public final class EmailSendHandler implements TaskHandlerFactory {

    public static final String SMTP_HOST = "SMTP_HOST";
    public static final String SMTP_PORT = "SMTP_PORT";
    public static final String SMTP_FROM = "SMTP_FROM";
    public static final String DEFAULT_SMTP_HOST = "127.0.0.1";
    public static final int DEFAULT_SMTP_PORT = 2525;
    public static final String DEFAULT_FROM = "conveyor@localhost";
    static final int TIMEOUT_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "email.send";
    }

    @Override
    public TaskHandler create(Env env) {
        int port = env.integer(SMTP_PORT, DEFAULT_SMTP_PORT);
        if (port < 1 || port > 65535) {
            throw new ConfigException(SMTP_PORT, "must be a port number, was " + port);
        }
        Properties props = new Properties();
        props.put("mail.smtp.host", env.string(SMTP_HOST, DEFAULT_SMTP_HOST));
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MS));
        props.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MS));
        props.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MS));
        Session session = Session.getInstance(props);
        String from = env.string(SMTP_FROM, DEFAULT_FROM);
        return task -> send(session, from, task);
    }

    private static String send(Session session, String from, TaskContext task) throws MessagingException, NonRetryableTaskException {
        // refused before a message exists: nothing hostile reaches a header or the SMTP server
        MailRequest mail = MailRequest.of(task);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", mail.messageId());
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, mail.to());
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setText(mail.body(), StandardCharsets.UTF_8.name());
        Transport.send(message);
        ObjectNode output = JSON.createObjectNode();
        output.put("sentTo", mail.recipients());
        output.put("messageId", task.idempotencyKey() + "@conveyor");
        return output.toString();
    }
}
