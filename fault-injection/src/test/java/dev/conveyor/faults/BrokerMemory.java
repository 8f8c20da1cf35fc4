package dev.conveyor.faults;

import dev.conveyor.stack.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** What each broker process holds in memory (resident now, and its peak), as Linux reports it in /proc. */
final class BrokerMemory {

    private BrokerMemory() {
    }

    static String of(List<KafkaBroker> brokers) {
        return brokers.stream().map(b -> "node " + b.nodeId() + " " + field(b.pid(), "VmRSS") + " (peak " + field(b.pid(), "VmHWM") + ")")
                .collect(Collectors.joining(", "));
    }

    private static String field(long pid, String name) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith(name + ":"))
                    .map(line -> line.substring(name.length() + 1).trim())
                    .findFirst().orElse("?");
        } catch (IOException notLinux) {
            return "?";
        }
    }
}
