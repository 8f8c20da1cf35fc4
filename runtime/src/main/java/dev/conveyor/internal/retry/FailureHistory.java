package dev.conveyor.internal.retry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.conveyor.retry.Failures;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.schema.AttemptFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The failures of a task so far, carried in one bounded header and turned into the dead letter's history. Pure. */
public final class FailureHistory {

    static final int MAX_ERROR_CHARS = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FailureHistory() {
    }

    /** The history a record carries in its {@link RetryHeaders#HISTORY} header; empty for a first attempt. */
    public static List<AttemptFailure> carried(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header header = headers.lastHeader(RetryHeaders.HISTORY);
        return decode(header == null ? null : header.value());
    }

    public static List<AttemptFailure> decode(byte[] header) {
        List<AttemptFailure> failures = new ArrayList<>();
        if (header == null) {
            return failures;
        }
        try {
            for (JsonNode entry : JSON.readTree(header)) {
                failures.add(AttemptFailure.newBuilder()
                        .setAttempt(entry.path("attempt").asInt())
                        .setFailedAt(Instant.parse(entry.path("at").asText()))
                        .setError(entry.path("error").asText())
                        .build());
            }
        } catch (java.io.IOException | RuntimeException malformed) {
            // a history we cannot read is lost history, not a reason to fail the task
        }
        return failures;
    }

    /** The history plus one failure, keeping the {@value RetryHeaders#MAX_HISTORY} most recent. */
    public static List<AttemptFailure> append(List<AttemptFailure> history, int attempt, Instant at, String error) {
        List<AttemptFailure> next = new ArrayList<>(history);
        next.add(AttemptFailure.newBuilder().setAttempt(attempt).setFailedAt(at)
                .setError(Failures.truncate(error, MAX_ERROR_CHARS)).build());
        return next.size() <= RetryHeaders.MAX_HISTORY ? next : next.subList(next.size() - RetryHeaders.MAX_HISTORY, next.size());
    }

    public static byte[] encode(List<AttemptFailure> history) {
        ArrayNode array = JSON.createArrayNode();
        for (AttemptFailure failure : history) {
            array.addObject().put("attempt", failure.getAttempt()).put("at", failure.getFailedAt().toString())
                    .put("error", failure.getError());
        }
        try {
            return JSON.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
