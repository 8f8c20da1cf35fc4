package dev.conveyor.console.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every mutating action of the console, one JSON line each ({@code at}, {@code who}, {@code action},
 * {@code selection}, {@code count}), appended to a file and to the {@code conveyor.audit} log. The line
 * is written once the action is done and before it is answered; an action whose line cannot be written
 * is answered 500.
 */
public final class AuditLog {

    /** The newest entries served to the console's own page. */
    static final int RECENT = 200;
    private static final Logger LOG = LoggerFactory.getLogger("conveyor.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private final Deque<String> recent = new ArrayDeque<>();

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public synchronized void record(String who, String action, Map<String, ?> selection, long count) {
        ObjectNode line = JSON.createObjectNode();
        line.put("at", clock.instant().toString()).put("who", who).put("action", action);
        line.set("selection", JSON.valueToTree(selection));
        line.put("count", count);
        String text = line.toString();
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file, e);
        }
        LOG.info(text);
        recent.addFirst(text);
        if (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    /** The newest entries first, as JSON lines. */
    public synchronized List<String> recent() {
        return List.copyOf(recent);
    }
}
