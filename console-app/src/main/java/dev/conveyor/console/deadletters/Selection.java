package dev.conveyor.console.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.deadletter.DeadLetterFilter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which dead letters a replay acts on, from its JSON body: {@code refs} (partition:offset) picked on the
 * page, or {@code filter} (the list's criteria), or {@code "all": true}. An empty selection is refused
 * rather than read as "everything", so a forgotten filter cannot replay the whole topic. Pure.
 */
record Selection(DeadLetterFilter filter, boolean all) {

    static final int MAX_REFS = 10_000;

    static Selection from(JsonNode body) {
        Set<String> refs = new LinkedHashSet<>();
        for (JsonNode ref : body.path("refs")) {
            String text = ref.asText("");
            if (!text.matches("\\d{1,6}:\\d{1,19}")) {
                throw new IllegalArgumentException("a dead letter is named partition:offset, e.g. 0:42; '" + text + "' is not");
            }
            refs.add(text);
        }
        if (refs.size() > MAX_REFS) {
            throw new IllegalArgumentException("at most " + MAX_REFS + " refs per request, was " + refs.size());
        }
        JsonNode f = body.path("filter");
        DeadLetterFilter filter = new DeadLetterFilter(text(f, "type"), text(f, "reason"),
                DeadLetterRoutes.instant(text(f, "since"), "since"), DeadLetterRoutes.instant(text(f, "until"), "until"),
                text(f, "text"), refs);
        boolean all = body.path("all").asBoolean(false);
        boolean narrowed = !refs.isEmpty() || filter.type() != null || filter.reason() != null || filter.since() != null
                || filter.until() != null || filter.text() != null;
        if (!narrowed && !all) {
            throw new IllegalArgumentException("name the letters: refs, a filter, or all: true for every letter");
        }
        return new Selection(filter, all && !narrowed);
    }

    /** What the audit log records as the selection. */
    Map<String, Object> describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        if (all) {
            described.put("all", true);
        }
        if (!filter.refs().isEmpty()) {
            described.put("refs", filter.refs());
        }
        putIfSet(described, "type", filter.type());
        putIfSet(described, "reason", filter.reason());
        putIfSet(described, "since", filter.since());
        putIfSet(described, "until", filter.until());
        putIfSet(described, "text", filter.text());
        return described;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private static String text(JsonNode node, String field) {
        return DeadLetterRoutes.blankToNull(node.path(field).asText(null));
    }
}
