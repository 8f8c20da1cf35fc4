package dev.conveyor.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class BrokerHeapIT {

    private static final long HEAP_BYTES = 768L * 1024 * 1024;

    @Test
    void aPreTouchedBrokerHoldsItsWholeHeapInMemoryBeforeServing() throws Exception {
        // given a broker started with a fixed, pre-touched heap
        Path workDir = Files.createTempDirectory("conveyor-broker-heap-");
        try (KafkaBroker broker = KafkaBroker.start(StackArtifacts.load(), workDir, BrokerHeap.FIXED_PRE_TOUCHED)) {
            // when it serves its first request
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic("heap-test", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            // then every page of its heap is already resident: none is first written while a benchmark measures
            assertThat(residentBytes(broker.pid())).isGreaterThanOrEqualTo(HEAP_BYTES);
        }
    }

    @Test
    void aGrowingBrokerHeapIsOnlyCappedAndAPreTouchedOneIsFixedAndWritten() {
        StackArtifacts artifacts = StackArtifacts.load();

        List<String> growing = KafkaBroker.javaCommand(artifacts, BrokerHeap.GROWING, "kafka.Kafka");
        List<String> fixed = KafkaBroker.javaCommand(artifacts, BrokerHeap.FIXED_PRE_TOUCHED, "kafka.Kafka");

        assertThat(growing).contains("-Xmx768m").doesNotContain("-XX:+AlwaysPreTouch")
                .noneMatch(option -> option.startsWith("-Xms"));
        assertThat(fixed).contains("-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch");
    }

    /** Resident set size from Linux's /proc, the machines this project builds and benchmarks on. */
    private static long residentBytes(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                .findFirst().orElseThrow();
    }
}
