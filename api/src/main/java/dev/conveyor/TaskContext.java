package dev.conveyor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;

/**
 * One task as its handler sees it.
 *
 * @param payload the submitted payload as JSON text
 * @param attempt 1-based attempt number
 */
public record TaskContext(String id, String type, String key, String payload, int attempt, int maxAttempts,
                          Map<String, String> headers, Instant submittedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TaskContext {
        headers = Map.copyOf(headers);
    }

    /**
     * A key that stays the same across every attempt and redelivery of this task: pass it to external
     * systems (payment APIs, mail relays) so a redone attempt does not repeat their side effect.
     */
    public String idempotencyKey() {
        return id;
    }

    public JsonNode payloadJson() {
        try {
            return JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload of task " + id + " is not JSON", e);
        }
    }
}
