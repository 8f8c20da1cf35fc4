package dev.conveyor.processor.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.NonRetryableTaskException;
import dev.conveyor.TaskContext;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * What an {@code email.send} task asks for, read from its payload and refused before anything is sent
 * when no attempt could send it: a payload that is not a JSON object, no recipient, a recipient list
 * that does not parse, or a line break or other control character in any value bound for a header (the
 * recipients, the subject, the task id that becomes the Message-ID). Each refusal is a
 * {@link NonRetryableTaskException}, so the task is dead-lettered as {@code NON_RETRYABLE} at once, its
 * reason in the error. The body is not a header: its line breaks are the mail's, and Jakarta Mail writes
 * each as CRLF with dot-stuffing, so a body cannot end the SMTP data early.
 */
record MailRequest(InternetAddress[] to, String recipients, String subject, String body, String messageId) {

    static final String DEFAULT_SUBJECT = "(no subject)";

    static MailRequest of(TaskContext task) throws NonRetryableTaskException {
        JsonNode payload = payload(task);
        String to = text(payload, "to", "");
        if (to.isBlank()) {
            throw new NonRetryableTaskException("payload.to is required: the recipient's address");
        }
        String subject = text(payload, "subject", DEFAULT_SUBJECT);
        requireHeaderSafe("payload.to", to);
        requireHeaderSafe("payload.subject", subject);
        requireHeaderSafe("the task id (the mail's Message-ID)", task.idempotencyKey());
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parse(to, true);
        } catch (AddressException e) {
            throw new NonRetryableTaskException("payload.to is not a list of mail addresses: " + e.getMessage(), e);
        }
        if (addresses.length == 0) {
            throw new NonRetryableTaskException("payload.to names no address");
        }
        return new MailRequest(addresses, to, subject, text(payload, "body", ""), "<" + task.idempotencyKey() + "@conveyor>");
    }

    private static JsonNode payload(TaskContext task) throws NonRetryableTaskException {
        JsonNode payload;
        try {
            payload = task.payloadJson();
        } catch (IllegalArgumentException e) {
            throw new NonRetryableTaskException("the payload is not JSON", e);
        }
        if (!payload.isObject()) {
            throw new NonRetryableTaskException("the payload must be an object such as {\"to\": \"a@example.com\"}");
        }
        return payload;
    }

    /** A string field, or {@code fallback} when absent or null; any other type is refused rather than turned into text. */
    private static String text(JsonNode payload, String field, String fallback) throws NonRetryableTaskException {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new NonRetryableTaskException("payload." + field + " must be a string");
        }
        return node.asText();
    }

    private static void requireHeaderSafe(String what, String value) throws NonRetryableTaskException {
        int forbidden = HeaderText.firstForbidden(value);
        if (forbidden >= 0) {
            throw new NonRetryableTaskException(what + " contains a line break or control character (" + HeaderText.describe(value, forbidden)
                    + "), which no mail header may carry; the mail is not sent");
        }
    }
}
