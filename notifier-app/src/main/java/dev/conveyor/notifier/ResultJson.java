package dev.conveyor.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.schema.TaskResult;

/** The JSON form of a result, as webhooks receive it. Output that is JSON is embedded as JSON. */
final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
    }

    static String of(TaskResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("taskId", result.getTaskId());
        node.put("type", result.getType());
        node.put("key", result.getKey());
        node.put("status", result.getStatus().name());
        node.put("attempts", result.getAttempts());
        if (result.getOutput() != null) {
            node.set("output", parseOrText(result.getOutput()));
        }
        if (result.getError() != null) {
            node.put("error", result.getError());
        }
        if (result.getReason() != null) {
            node.put("reason", result.getReason());
        }
        node.put("submittedAt", result.getSubmittedAt().toString());
        node.put("startedAt", result.getStartedAt().toString());
        node.put("completedAt", result.getCompletedAt().toString());
        ObjectNode headers = node.putObject("headers");
        result.getHeaders().forEach(headers::put);
        return node.toString();
    }

    private static JsonNode parseOrText(String output) {
        try {
            return JSON.readTree(output);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(output);
        }
    }
}
