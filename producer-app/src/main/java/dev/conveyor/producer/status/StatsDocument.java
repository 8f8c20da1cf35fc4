package dev.conveyor.producer.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.schema.StatsMinute;
import dev.conveyor.schema.TaskTypeStats;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator aggregate, {@code GET /stats}: tasks in the view per type and state, totals, and
 * transitions per minute and type over the last hour. Summed over every partition's documents, and
 * over every instance's answer, which has the same shape.
 */
final class StatsDocument {

    private final Map<String, Map<String, Long>> counts = new TreeMap<>();
    private final Map<String, Map<Instant, Long>> minutes = new TreeMap<>();

    void add(TaskTypeStats stats) {
        stats.getCounts().forEach((state, count) -> count(stats.getType(), state, count));
        for (StatsMinute minute : stats.getMinutes()) {
            transitions(stats.getType(), minute.getMinute(), minute.getTransitions());
        }
    }

    /** Adds another instance's answer. */
    void add(JsonNode doc) {
        doc.path("counts").fields().forEachRemaining(type ->
                type.getValue().fields().forEachRemaining(state -> count(type.getKey(), state.getKey(), state.getValue().asLong())));
        doc.path("transitionsPerMinute").fields().forEachRemaining(type -> {
            for (JsonNode minute : type.getValue()) {
                transitions(type.getKey(), Instant.parse(minute.path("minute").asText()), minute.path("transitions").asLong());
            }
        });
    }

    private void count(String type, String state, long count) {
        if (count != 0) {
            counts.computeIfAbsent(type, t -> new TreeMap<>()).merge(state, count, Long::sum);
        }
    }

    private void transitions(String type, Instant minute, long transitions) {
        minutes.computeIfAbsent(type, t -> new TreeMap<>()).merge(minute, transitions, Long::sum);
    }

    String toJson(Instant now) {
        ObjectNode doc = StatusJson.MAPPER.createObjectNode();
        ObjectNode byTypeAndState = doc.putObject("counts");
        Map<String, Long> byState = new TreeMap<>();
        Map<String, Long> byType = new TreeMap<>();
        long tasks = 0;
        for (Map.Entry<String, Map<String, Long>> type : counts.entrySet()) {
            ObjectNode states = byTypeAndState.putObject(type.getKey());
            for (Map.Entry<String, Long> state : type.getValue().entrySet()) {
                states.put(state.getKey(), state.getValue());
                byState.merge(state.getKey(), state.getValue(), Long::sum);
                byType.merge(type.getKey(), state.getValue(), Long::sum);
                tasks += state.getValue();
            }
        }
        ObjectNode totals = doc.putObject("totals").put("tasks", tasks);
        byState.forEach(totals.putObject("byState")::put);
        byType.forEach(totals.putObject("byType")::put);
        Instant from = RecentMinutes.windowStart(now);
        ObjectNode rates = doc.putObject("transitionsPerMinute");
        for (Map.Entry<String, Map<Instant, Long>> type : minutes.entrySet()) {
            var perMinute = rates.putArray(type.getKey());
            for (Map.Entry<Instant, Long> minute : type.getValue().entrySet()) {
                if (!minute.getKey().isBefore(from)) {
                    perMinute.addObject().put("minute", minute.getKey().toString()).put("transitions", minute.getValue());
                }
            }
        }
        doc.putObject("window").put("from", from.toString()).put("to", now.toString());
        return StatusJson.write(doc);
    }
}
