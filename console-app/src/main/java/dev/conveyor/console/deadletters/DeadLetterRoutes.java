package dev.conveyor.console.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.console.access.ConsoleAccess;
import dev.conveyor.console.audit.AuditLog;
import dev.conveyor.deadletter.DeadLetterFilter;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.deadletter.StoredDeadLetter;
import dev.conveyor.http.AppServer;
import dev.conveyor.http.Problem;
import dev.conveyor.schema.AttemptFailure;
import dev.conveyor.schema.DeadLetter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead-letter page's API, on the same {@link DeadLetterStore} as {@code conveyor-dlq}: list with the
 * tool's filters, inspect one, and replay or purge a selection. A replay or purge is a dry run that
 * answers what it would do unless the body says {@code "execute": true}; an executed one is audited.
 */
public final class DeadLetterRoutes {

    /** Letters listed at most in one answer; the count says how many matched. */
    static final int MAX_LISTED = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeadLetterStore store;
    private final AuditLog audit;
    private final java.time.Clock clock;

    public DeadLetterRoutes(DeadLetterStore store, AuditLog audit, java.time.Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.get("/api/dead-letters", this::list);
        app.get("/api/dead-letters/{ref}", this::inspect);
        app.post("/api/dead-letters/replay", this::replay);
        app.post("/api/dead-letters/purge", this::purge);
    }

    private void list(Context ctx) {
        DeadLetterFilter filter;
        try {
            filter = new DeadLetterFilter(blankToNull(ctx.queryParam("type")), blankToNull(ctx.queryParam("reason")),
                    instant(ctx.queryParam("since"), "since"), instant(ctx.queryParam("until"), "until"),
                    blankToNull(ctx.queryParam("text")), Set.of());
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        List<StoredDeadLetter> letters = store.read(filter);
        ObjectNode answer = JSON.createObjectNode().put("count", letters.size()).put("listed", Math.min(letters.size(), MAX_LISTED));
        ArrayNode rows = answer.putArray("letters");
        for (StoredDeadLetter l : letters.subList(0, Math.min(letters.size(), MAX_LISTED))) {
            String error = l.letter().getError() == null ? "" : l.letter().getError();
            rows.addObject().put("ref", l.ref()).put("failedAt", l.letter().getFailedAt().toString()).put("reason", l.letter().getReason())
                    .put("type", l.taskType()).put("taskId", l.taskId()).put("replayable", l.replayable())
                    .put("error", error.length() > 200 ? error.substring(0, 197) + "..." : error);
        }
        ctx.json(answer);
    }

    private void inspect(Context ctx) {
        String ref = ctx.pathParam("ref");
        if (!ref.matches("\\d{1,6}:\\d{1,19}")) {
            badRequest(ctx, "a dead letter is named partition:offset, e.g. 0:42; '" + ref + "' is not");
            return;
        }
        List<StoredDeadLetter> found = store.read(new DeadLetterFilter(null, null, null, null, null, Set.of(ref)));
        if (found.isEmpty()) {
            AppServer.problem(ctx, Problem.of("not-found", "No such dead letter", 404, "no dead letter at " + ref + " of tasks.dlq"));
            return;
        }
        StoredDeadLetter stored = found.getFirst();
        DeadLetter letter = stored.letter();
        ObjectNode answer = JSON.createObjectNode().put("ref", stored.ref()).put("key", stored.key()).put("reason", letter.getReason())
                .put("failedAt", letter.getFailedAt().toString()).put("error", letter.getError())
                .put("origin", letter.getOriginalTopic() + "-" + letter.getOriginalPartition() + "@" + letter.getOriginalOffset())
                .put("replayable", stored.replayable()).put("valueHex", stored.originalValueHex());
        if (letter.getRequest() != null) {
            var request = letter.getRequest();
            ObjectNode task = answer.putObject("request").put("id", request.getId()).put("type", request.getType())
                    .put("key", request.getKey()).put("payload", request.getPayload()).put("attempt", request.getAttempt())
                    .put("submittedAt", request.getSubmittedAt().toString());
            task.set("headers", JSON.valueToTree(new TreeMap<>(request.getHeaders())));
        }
        ArrayNode history = answer.putArray("history");
        for (AttemptFailure failure : letter.getHistory()) {
            history.addObject().put("attempt", failure.getAttempt()).put("failedAt", failure.getFailedAt().toString())
                    .put("error", failure.getError());
        }
        answer.set("headers", JSON.valueToTree(new TreeMap<>(stored.headers())));
        ctx.json(answer);
    }

    private void replay(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        Selection selection;
        try {
            selection = Selection.from(body);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        int maxAttempts = body.path("maxAttempts").asInt(0);
        if (maxAttempts < 0 || maxAttempts > 100) {
            badRequest(ctx, "maxAttempts must be between 0 (the processor's limit) and 100, was " + maxAttempts);
            return;
        }
        boolean execute = body.path("execute").asBoolean(false);
        List<StoredDeadLetter> matching = store.read(selection.filter());
        List<StoredDeadLetter> replayable = matching.stream().filter(StoredDeadLetter::replayable).toList();
        ObjectNode answer = JSON.createObjectNode().put("execute", execute).put("matching", matching.size())
                .put("skipped", matching.size() - replayable.size());
        ArrayNode refs = answer.putArray("refs");
        replayable.forEach(l -> refs.addObject().put("ref", l.ref()).put("taskId", l.taskId()).put("type", l.taskType()));
        if (execute) {
            Map<String, Object> audited = new LinkedHashMap<>(selection.describe());
            audited.put("maxAttempts", maxAttempts);
            int replayed;
            try {
                replayed = store.replay(replayable, maxAttempts);
            } catch (Exception e) {
                // some may have been sent: the attempt is on record even when it fails
                audit.record(ConsoleAccess.caller(ctx), "replay-failed", audited, replayable.size());
                throw e;
            }
            audit.record(ConsoleAccess.caller(ctx), "replay", audited, replayed);
            answer.put("replayed", replayed);
        }
        ctx.json(answer);
    }

    private void purge(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        Instant before;
        try {
            before = instant(body.path("before").asText(null), "before");
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        if (before == null) {
            badRequest(ctx, "purge needs 'before', an ISO-8601 instant: letters that failed before it are deleted");
            return;
        }
        if (before.isAfter(clock.instant())) {
            // a letter written between the preview and the confirm could otherwise be deleted unseen
            badRequest(ctx, "'before' must not be in the future, was " + before);
            return;
        }
        boolean execute = body.path("execute").asBoolean(false);
        DeadLetterStore.PurgePlan plan = store.purgePlan(before);
        Map<TopicPartition, Long> upTo = plan.upTo();
        long letters = plan.letters();
        ObjectNode answer = JSON.createObjectNode().put("execute", execute).put("letters", letters);
        ObjectNode partitions = answer.putObject("upToOffset");
        upTo.forEach((partition, offset) -> partitions.put(Integer.toString(partition.partition()), offset));
        if (execute) {
            try {
                store.purge(upTo);
            } catch (Exception e) {
                audit.record(ConsoleAccess.caller(ctx), "purge-failed", Map.of("before", before.toString()), letters);
                throw e;
            }
            audit.record(ConsoleAccess.caller(ctx), "purge", Map.of("before", before.toString()), letters);
        }
        ctx.json(answer);
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
            if (!body.isObject()) {
                badRequest(ctx, "the body must be a JSON object");
                return null;
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            badRequest(ctx, "the body is not JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    static Instant instant(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-12-06T10:00:00Z, was '" + text + "'");
        }
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static void badRequest(Context ctx, String detail) {
        AppServer.problem(ctx, Problem.of("bad-request", "Bad request", 400, detail));
    }
}
