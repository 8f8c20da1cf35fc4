package dev.conveyor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** Prints the results as a table and writes them as CSV, JSON and a PNG chart. */
final class Report {

    private Report() {
    }

    /**
     * {@code avroRelay}: the ceiling's relay moving Conveyor's Avro records through the registry's serdes;
     * each scenario's "×avro" is its rate against it, what Conveyor's engine keeps of the wire format's floor.
     */
    static void print(PrintStream out, RawCeiling.Result ceiling, RawCeiling.Result avroRelay, RawCeiling.Result floor, int floorRate,
                      List<Measurement> results) {
        out.printf(Locale.ROOT, "raw Kafka ceiling (produce→consume→produce→consume): %,.0f records/s, p50 %.1f ms, p99 %.1f ms,"
                + " %d sends refused, CPU per record %.1f µs here, %.1f µs broker%n", ceiling.perSecond(), ceiling.p50Ms(),
                ceiling.p99Ms(), ceiling.lost(), ceiling.cpuPerRecord().thisJvmMicros(), ceiling.cpuPerRecord().brokerMicros());
        out.printf(Locale.ROOT, "the same relay with Conveyor's Avro records (TaskRequest → TaskResult through the registry's serdes):"
                + " %,.0f records/s = %.2f × ceiling, %d sends refused, CPU per record %.1f µs here, %.1f µs broker%n", avroRelay.perSecond(),
                avroRelay.perSecond() / ceiling.perSecond(), avroRelay.lost(), avroRelay.cpuPerRecord().thisJvmMicros(),
                avroRelay.cpuPerRecord().brokerMicros());
        out.printf(Locale.ROOT, "raw Kafka latency floor, same two hops at a steady %,d records/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
                + " %d sends refused, CPU per record %.1f µs here, %.1f µs broker%n", floorRate, floor.p50Ms(),
                floor.p99Ms(), floor.maxMs(), floor.lost(), floor.cpuPerRecord().thisJvmMicros(), floor.cpuPerRecord().brokerMicros());
        // µs here / broker: CPU per task of this JVM (client and apps) and of the broker
        out.printf(Locale.ROOT, "%-28s %4s %4s %5s %-9s %-10s %-10s %8s %10s %10s %7s %7s %9s %9s %9s %7s %5s %5s %8s %8s%n", "scenario", "part",
                "inst", "conc", "ordering", "profile", "path", "tasks", "tasks/s", "steady/s", "×ceil", "×avro", "p50 ms", "p99 ms", "max ms", "spread", "busy", "steal",
                "µs here", "µs brkr");
        for (Measurement m : results) {
            Scenario s = m.scenario();
            out.printf(Locale.ROOT, "%-28s %4d %4d %5d %-9s %-10s %-10s %8d %10.0f %10.0f %7.2f %7.2f %9.1f %9.1f %9.1f %6.0f%% %4.0f%% %4.0f%% %8.1f"
                            + " %8.1f%n", s.name(), s.partitions(), s.processors(), s.concurrency(), s.ordering().name().toLowerCase(Locale.ROOT),
                    s.profile(), s.path(), s.tasks(), m.perSecond(), m.steadyPerSecond(), m.ceilingRatio(), m.perSecond() / avroRelay.perSecond(),
                    m.p50Ms(), m.p99Ms(), m.maxMs(), m.shareSpread() * 100,
                    m.cpu().busy() * 100, m.cpu().steal() * 100, m.cpuPerTask().thisJvmMicros(), m.cpuPerTask().brokerMicros());
        }
        for (SlowTaskComparison c : SlowTaskComparison.among(results)) {
            out.printf(Locale.ROOT, "%s kept %.0f%% of %s's throughput over the whole run, %.0f%% steady (first and last tenth of"
                    + " the deliveries left out)%n", c.slow().scenario().name(), c.wholeRunShare() * 100, c.noSlow().scenario().name(),
                    c.steadyShare() * 100);
        }
        List<SlowTaskPair> pairs = SlowTaskPair.among(results);
        for (SlowTaskPair p : pairs) {
            out.printf(Locale.ROOT, "%s kept %.0f%% of the %s run just before it, %.0f%% steady%n", p.slow().scenario().name(),
                    p.wholeRunShare() * 100, p.noSlow().scenario().name(), p.steadyShare() * 100);
        }
        for (SlowTaskPair.Medians m : SlowTaskPair.medians(pairs)) {
            out.printf(Locale.ROOT, "%s against the no-op run with its limits just before it, median of %d pair(s): %.0f%% over the"
                    + " whole run, %.0f%% steady (steady %.0f-%.0f%%)%n", m.scenario(), m.pairs(), m.wholeRunShare() * 100,
                    m.steadyShare() * 100, m.lowestSteadyShare() * 100, m.highestSteadyShare() * 100);
        }
    }

    static void write(Path dir, RawCeiling.Result ceiling, RawCeiling.Result avroRelay, RawCeiling.Result floor, int floorRate,
                      List<Measurement> results, Map<String, String> machine) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("scenario,partitions,processors,concurrency,ordering,profile,path,tasks,rate,"
                + "tasks_per_second,steady_tasks_per_second,ceiling_ratio,avro_relay_ratio,p50_ms,p99_ms,max_ms,instance_shares,cpu_busy,cpu_steal,"
                + "cpu_us_per_task_this_jvm,cpu_us_per_task_broker\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measurement m : results) {
            Scenario s = m.scenario();
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%s,%d,%d,%.1f,%.1f,%.3f,%.3f,%.2f,%.2f,%.2f,%s,%.3f,%.3f,%.2f,%.2f%n", s.name(),
                    s.partitions(),
                    s.processors(), s.concurrency(), s.ordering(), s.profile(), s.path(), s.tasks(), s.rate(), m.perSecond(),
                    m.steadyPerSecond(), m.ceilingRatio(), m.perSecond() / avroRelay.perSecond(), m.p50Ms(), m.p99Ms(), m.maxMs(),
                    String.join(";", m.instanceShares().stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList()),
                    m.cpu().busy(), m.cpu().steal(), m.cpuPerTask().thisJvmMicros(), m.cpuPerTask().brokerMicros()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", s);
            row.put("tasksPerSecond", m.perSecond());
            row.put("steadyTasksPerSecond", m.steadyPerSecond());
            row.put("ceilingRatio", m.ceilingRatio());
            row.put("avroRelayRatio", m.perSecond() / avroRelay.perSecond());
            row.put("p50Ms", m.p50Ms());
            row.put("p99Ms", m.p99Ms());
            row.put("maxMs", m.maxMs());
            row.put("sentToHandlerStartedP50Ms", m.hops().untilStartedP50Ms());
            row.put("handlerDoneToDeliveredP50Ms", m.hops().afterCompletedP50Ms());
            row.put("sentToHandlerStartedP99Ms", m.hops().untilStartedP99Ms());
            row.put("handlerDoneToDeliveredP99Ms", m.hops().afterCompletedP99Ms());
            row.put("instanceShares", m.instanceShares());
            row.put("cpuBusy", m.cpu().busy());
            row.put("cpuSteal", m.cpu().steal());
            row.put("cpuMicrosPerTask", cpu(m.cpuPerTask()));
            rows.add(row);
        }
        Files.writeString(dir.resolve("results.csv"), csv);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("ceiling", Map.of("recordsPerSecond", ceiling.perSecond(),
                "p50Ms", ceiling.p50Ms(),
                "p99Ms", ceiling.p99Ms(), "sendsRefused", ceiling.lost(), "cpuMicrosPerRecord", cpu(ceiling.cpuPerRecord())));
        json.put("avroRelay", Map.of("recordsPerSecond", avroRelay.perSecond(), "ceilingRatio", avroRelay.perSecond() / ceiling.perSecond(),
                "sendsRefused", avroRelay.lost(), "cpuMicrosPerRecord", cpu(avroRelay.cpuPerRecord())));
        json.put("pacedFloor", Map.of("recordsPerSecond", floorRate,
                "p50Ms", floor.p50Ms(),
                "p99Ms", floor.p99Ms(),
                "maxMs", floor.maxMs(), "sendsRefused", floor.lost(), "cpuMicrosPerRecord", cpu(floor.cpuPerRecord())));
        json.put("results", rows);
        json.put("slowTasks", SlowTaskComparison.among(results).stream().map(c -> Map.of("scenario", c.slow().scenario().name(),
                "comparedWith", c.noSlow().scenario().name(), "wholeRunShare", c.wholeRunShare(), "steadyShare", c.steadyShare())).toList());
        List<SlowTaskPair> pairs = SlowTaskPair.among(results);
        json.put("slowTaskPairs", pairs.stream().map(p -> Map.of("scenario", p.slow().scenario().name(),
                "pairedWith", p.noSlow().scenario().name(), "wholeRunShare", p.wholeRunShare(), "steadyShare", p.steadyShare())).toList());
        json.put("slowTaskPairMedians", SlowTaskPair.medians(pairs));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
        ImageIO.write(chart(ceiling, results), "png", dir.resolve("results.png").toFile());
    }

    /** JSON has no NaN: an unknown figure is left out. */
    private static Map<String, Object> cpu(CpuPerItem perItem) {
        Map<String, Object> cpu = new LinkedHashMap<>();
        if (!Double.isNaN(perItem.thisJvmMicros())) {
            cpu.put("thisJvm", perItem.thisJvmMicros());
        }
        if (!Double.isNaN(perItem.brokerMicros())) {
            cpu.put("broker", perItem.brokerMicros());
        }
        return cpu;
    }

    /** Two panels: throughput (with the ceiling as a line) and p50/p99 latency, one bar group per scenario. */
    private static BufferedImage chart(RawCeiling.Result ceiling, List<Measurement> results) {
        int width = Math.max(900, 90 + results.size() * 70);
        int height = 760;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double maxRate = Math.max(ceiling.perSecond(), results.stream().mapToDouble(Measurement::perSecond).max().orElse(1));
        double maxLatency = Math.max(1, results.stream().mapToDouble(Measurement::p99Ms).max().orElse(1));
        panel(g, "throughput, tasks/s (line: raw Kafka ceiling " + Math.round(ceiling.perSecond()) + "/s)", 60, 30, width - 80, 250,
                results, maxRate, m -> new double[] {m.perSecond()}, new Color[] {new Color(0x3B6EA5)});
        int ceilingY = 30 + 250 - (int) (250 * ceiling.perSecond() / maxRate);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(2));
        g.drawLine(60, ceilingY, width - 20, ceilingY);
        panel(g, "latency submit → delivered by the notifier, ms (green p50, orange p99)", 60, 330, width - 80, 250, results,
                maxLatency, m -> new double[] {m.p50Ms(), m.p99Ms()}, new Color[] {new Color(0x6AA84F), new Color(0xE69138)});
        g.setColor(Color.BLACK);
        for (int i = 0; i < results.size(); i++) {
            AffineTransform saved = g.getTransform();
            g.translate(60 + i * (width - 80) / results.size() + 20, 590);
            g.rotate(Math.PI / 4);
            g.drawString(results.get(i).scenario().name(), 0, 0);
            g.setTransform(saved);
        }
        g.dispose();
        return image;
    }

    private static void panel(Graphics2D g, String title, int x, int y, int w, int h, List<Measurement> results, double max,
                              java.util.function.Function<Measurement, double[]> values, Color[] colors) {
        g.setColor(Color.BLACK);
        g.drawString(title, x, y - 8);
        g.drawLine(x, y + h, x + w, y + h);
        g.drawLine(x, y, x, y + h);
        int slot = w / Math.max(1, results.size());
        for (int i = 0; i < results.size(); i++) {
            double[] v = values.apply(results.get(i));
            int barWidth = Math.max(4, (slot - 10) / v.length);
            for (int j = 0; j < v.length; j++) {
                int barHeight = (int) (h * Math.max(0, v[j]) / max);
                g.setColor(colors[j]);
                g.fillRect(x + i * slot + 5 + j * barWidth, y + h - barHeight, barWidth - 2, barHeight);
                g.setColor(Color.DARK_GRAY);
                g.drawString(v[j] >= 100 ? Long.toString(Math.round(v[j])) : String.format(Locale.ROOT, "%.1f", v[j]),
                        x + i * slot + 5 + j * barWidth, y + h - barHeight - 3);
            }
        }
    }
}
