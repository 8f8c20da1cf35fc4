package dev.conveyor.console.overview;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.console.activity.ActivityTail;
import dev.conveyor.console.activity.ActivityWindow;
import io.javalin.Javalin;
import java.util.Locale;

/**
 * The overview's rates and latencies, {@code GET /api/activity}: per minute and type, tasks submitted,
 * succeeded, failed, retried and dead-lettered, and the end-to-end latency p50/p99 over the window.
 */
public final class OverviewRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ActivityTail activity;

    public OverviewRoutes(ActivityTail activity) {
        this.activity = activity;
    }

    public void routes(Javalin app) {
        app.get("/api/activity", ctx -> ctx.json(json(activity.snapshot(), activity.undecodable())));
    }

    static ObjectNode json(ActivityWindow.Snapshot snapshot, long undecodable) {
        ObjectNode answer = JSON.createObjectNode().put("from", snapshot.from().toString()).put("to", snapshot.to().toString())
                .put("results", snapshot.results()).put("latencyP50Millis", snapshot.p50Millis())
                .put("latencyP99Millis", snapshot.p99Millis()).put("undecodable", undecodable);
        ObjectNode totals = answer.putObject("totals");
        ArrayNode minutes = answer.putArray("minutes");
        for (ActivityWindow.MinuteCounts minute : snapshot.minutes()) {
            ObjectNode row = minutes.addObject().put("minute", minute.minute().toString()).put("type", minute.type());
            ActivityWindow.Count[] kinds = ActivityWindow.Count.values();
            for (int i = 0; i < kinds.length; i++) {
                String name = kinds[i].name().toLowerCase(Locale.ROOT);
                row.put(name, minute.counts()[i]);
                totals.put(name, totals.path(name).asLong(0) + minute.counts()[i]);
            }
        }
        return answer;
    }
}
