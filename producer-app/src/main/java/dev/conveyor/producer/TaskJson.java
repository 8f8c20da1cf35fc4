package dev.conveyor.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.conveyor.events.TaskEvents;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A task submission as JSON: the fields {@code POST /tasks} accepts, read strictly (unknown fields are refused). */
final class TaskJson {

    static final Set<String> FIELDS = Set.of("type", "key", "payload", "callbackUrl", "headers", "maxAttempts", "timeout", "delay",
            "runAt", "idempotencyKey");
    /** The IETF draft header carrying an idempotency key. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /** The one media type a task body is read as; its parameters ({@code charset}) do not matter. */
    static final String MEDIA_TYPE = "application/json";

    /**
     * Strict about what a lenient parser would guess at: a second value after the task
     * ({@code {"type":"a"}{"type":"b"}}) or a field given twice ({@code {"type":"a","type":"b"}}) is
     * refused, so no proxy, log or other reader of the same body can take it for another task than the
     * gateway does.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TaskJson() {
    }

    /** The IETF draft's {@code Idempotency-Key} header, for clients that send it instead of the body field. */
    static TaskSubmission withHeaderKey(TaskSubmission submission, String header) {
        if (header == null) {
            return submission;
        }
        if (submission.idempotencyKey() != null && !submission.idempotencyKey().equals(header)) {
            throw new InvalidTaskException("idempotencyKey", "differs from the Idempotency-Key header; send one or make them equal");
        }
        return submission.withIdempotencyKey(header);
    }

    /**
     * Whether a request's {@code Content-Type} declares JSON: a body declared as anything else (or not
     * declared) is not read, so a form or a text a client sent by mistake is refused rather than guessed at.
     */
    static boolean declaresJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().equalsIgnoreCase(MEDIA_TYPE);
    }

    static TaskSubmission parse(byte[] body, String submitter) {
        return parse(readTree(body), submitter);
    }

    static JsonNode readTree(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null) {
                throw new InvalidTaskException("body", "is empty");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidTaskException("body", "could not be read: " + e.getMessage());
        }
    }

    /**
     * @param submitter the id of the API key the task is submitted with, for its {@code conveyor.submitter}
     *                  header; null when the gateway does not authenticate
     */
    static TaskSubmission parse(JsonNode json, String submitter) {
        if (json == null || !json.isObject()) {
            throw new InvalidTaskException("body", "must be a JSON object such as {\"type\": \"email.send\"}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidTaskException(name, "is not a task field; known fields are " + FIELDS);
            }
        }
        return new TaskSubmission(
                text(json, "type"),
                text(json, "key"),
                json.hasNonNull("payload") ? json.get("payload").toString() : null,
                text(json, "callbackUrl"),
                headers(json, submitter),
                integer(json, "maxAttempts"),
                duration(json, "timeout"),
                runAt(json),
                text(json, "idempotencyKey"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidTaskException(field, "must be a string");
        }
        return node.asText();
    }

    /** {@code delay} (a duration from now) or {@code runAt} (an ISO-8601 instant), not both. */
    private static java.time.Instant runAt(JsonNode json) {
        java.time.Duration delay = duration(json, "delay");
        String at = text(json, "runAt");
        if (delay != null && at != null) {
            throw new InvalidTaskException("delay", "give delay or runAt, not both");
        }
        if (delay != null) {
            if (delay.isNegative()) {
                throw new InvalidTaskException("delay", "must not be negative");
            }
            // checked before it is added: a delay of millions of years is past what an Instant holds
            if (delay.compareTo(java.time.Duration.ofDays(TaskSubmission.MAX_DELAY_DAYS)) > 0) {
                throw new InvalidTaskException("delay", "must be at most " + TaskSubmission.MAX_DELAY_DAYS + " days");
            }
            return java.time.Instant.now().plus(delay);
        }
        if (at == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidTaskException("runAt", "'" + at + "' is not an ISO-8601 instant such as 2026-12-24T18:00:00Z");
        }
    }

    private static java.time.Duration duration(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            return null;
        }
        try {
            return dev.conveyor.Env.parseDuration(field, text);
        } catch (dev.conveyor.ConfigException e) {
            throw new InvalidTaskException(field, "'" + text + "' is not a duration (use e.g. 30s, 5m or PT30S)");
        }
    }

    private static Integer integer(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new InvalidTaskException(field, "must be a whole number");
        }
        return node.asInt();
    }

    /** The request's headers and the submitter's, which only the gateway sets, so a client cannot claim another's. */
    private static Map<String, String> headers(JsonNode json, String submitter) {
        JsonNode node = json.get("headers");
        if (node != null && node.has(TaskEvents.SUBMITTER)) {
            throw new InvalidTaskException("headers." + TaskEvents.SUBMITTER, "is set by the gateway to the id of the API key"
                    + " the task is submitted with; leave it out");
        }
        if (node == null || node.isNull()) {
            return submitter == null ? null : Map.of(TaskEvents.SUBMITTER, submitter);
        }
        if (!node.isObject()) {
            throw new InvalidTaskException("headers", "must be an object of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new InvalidTaskException("headers." + e.getKey(), "must be a string");
            }
            headers.put(e.getKey(), e.getValue().asText());
        });
        if (submitter != null) {
            headers.put(TaskEvents.SUBMITTER, submitter);
        }
        return headers;
    }
}
