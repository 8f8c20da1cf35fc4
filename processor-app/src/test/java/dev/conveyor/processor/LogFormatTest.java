package dev.conveyor.processor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The apps' logback.xml, as LOG_FORMAT selects it: the lines an app prints, captured from standard error. */
class LogFormatTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenLogFormatJsonThenEveryLineIsOneJsonObjectWithTheEventsFields() throws Exception {
        // when an info line and an error with a cause are logged
        List<String> lines = logged("json");

        // then each line parses as a JSON object
        assertThat(lines).hasSize(2);
        JsonNode info = JSON.readTree(lines.get(0));
        assertThat(info.path("level").asText()).isEqualTo("INFO");
        assertThat(info.path("loggerName").asText()).isEqualTo("dev.conveyor.test");
        assertThat(info.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(info.path("formattedMessage").asText()).isEqualTo("task t-1 done");
        assertThat(info.path("timestamp").asLong()).isPositive();
        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("throwable").path("message").asText()).isEqualTo("boom");
    }

    @Test
    void givenNoLogFormatThenLinesReadAsSlf4jSimpleOnes() throws Exception {
        // when
        List<String> lines = logged(null);

        // then
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[" + Thread.currentThread().getName()
                + "] INFO dev.conveyor.test - task t-1 done");
        assertThat(lines.get(1)).contains(" ERROR dev.conveyor.test - failed");
        assertThat(lines).anyMatch(line -> line.startsWith("java.lang.IllegalStateException: boom"));
    }

    /** What the configuration prints for two events, with {@code LOG_FORMAT} as given (null: unset). */
    private static List<String> logged(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        if (format != null) {
            // the configuration reads LOG_FORMAT from the environment when the context does not define it
            context.putProperty("LOG_FORMAT", format);
        }
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            Logger log = context.getLogger("dev.conveyor.test");
            log.info("task {} done", "t-1");
            log.error("failed", new IllegalStateException("boom"));
            context.getLogger("org.apache.kafka.clients.NetworkClient").info("below the Kafka clients' level");
        } finally {
            context.stop();
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
