package dev.conveyor.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.AppServer;
import dev.conveyor.MetricNames;
import dev.conveyor.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /tasks}: JSON in, {@code 202 {"id", "status": "QUEUED"}} out once Kafka acknowledged
 * the task. Every refusal is an RFC 9457 problem, and nothing is produced for a refused request.
 */
final class TaskGateway {

    static final Set<String> FIELDS = Set.of("type", "key", "payload", "callbackUrl", "headers", "maxAttempts", "timeout", "delay", "runAt");
    /** Room for the JSON around the payload. */
    static final int ENVELOPE_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskClient client;
    private final int maxPayloadBytes;
    private final Duration sendTimeout;
    private final MeterRegistry meters;

    TaskGateway(TaskClient client, int maxPayloadBytes, Duration sendTimeout, MeterRegistry meters) {
        this.client = client;
        this.maxPayloadBytes = maxPayloadBytes;
        this.sendTimeout = sendTimeout;
        this.meters = meters;
    }

    void routes(Javalin app) {
        app.post("/tasks", this::submit);
    }

    private void submit(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > maxPayloadBytes + ENVELOPE_BYTES) {
            refuse(ctx, Problem.of("payload-too-large", "Payload too large", 413,
                    "request body is " + declared + " bytes; payloads may be at most " + maxPayloadBytes + " bytes"));
            return;
        }
        TaskSubmission submission;
        try {
            submission = parse(ctx.bodyAsBytes());
        } catch (InvalidTaskException e) {
            refuse(ctx, Problem.of("invalid-task", "Invalid task", 400, e.getMessage()));
            return;
        }
        try {
            SubmittedTask task = client.submit(submission, sendTimeout);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", task.id());
            body.put("status", "QUEUED");
            body.put("key", task.key());
            ctx.status(202).json(body);
        } catch (PayloadTooLargeException e) {
            refuse(ctx, Problem.of("payload-too-large", "Payload too large", 413, e.getMessage()));
        } catch (SubmissionFailedException e) {
            ctx.header("Retry-After", "5");
            refuse(ctx, Problem.of("kafka-unavailable", "Task store unavailable", 503,
                    "the task was not acknowledged by Kafka within " + sendTimeout + "; it may or may not have been queued"));
        }
    }

    static TaskSubmission parse(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidTaskException("body", "could not be read: " + e.getMessage());
        }
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
                headers(json),
                integer(json, "maxAttempts"),
                duration(json, "timeout"),
                runAt(json));
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

    private static Map<String, String> headers(JsonNode json) {
        JsonNode node = json.get("headers");
        if (node == null || node.isNull()) {
            return null;
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
        return headers;
    }

    private void refuse(Context ctx, Problem problem) {
        Counter.builder(MetricNames.TASKS_REJECTED).tag(MetricNames.TAG_REASON, problem.type().substring(problem.type().lastIndexOf(':') + 1))
                .register(meters).increment();
        AppServer.problem(ctx, problem);
    }
}
