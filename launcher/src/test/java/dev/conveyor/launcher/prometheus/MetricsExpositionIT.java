package dev.conveyor.launcher.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.launcher.Pipeline;
import dev.conveyor.auth.AuthSettings;
import dev.conveyor.auth.NewApiKey;
import dev.conveyor.auth.Scope;
import dev.conveyor.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three apps' {@code /metrics}, after they processed tasks of every kind against the real broker,
 * are accepted by {@code promtool check metrics}; the dashboard's queries parse and, like the alerting
 * rules, name only metrics the apps export.
 */
class MetricsExpositionIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final NewApiKey KEY = NewApiKey.generate("metrics", EnumSet.of(Scope.SUBMIT, Scope.READ), "*", 0);
    /** Prefixes of the metric names queries use; the rest of a query is functions, labels and values. */
    static final Pattern METRIC = Pattern.compile("\\b((?:conveyor|kafka|jvm|process|system)_[a-zA-Z0-9_:]*)");

    /**
     * What promtool's lint says of metrics named by others: the Kafka clients' own, which Micrometer exports
     * under Kafka's names ({@code kafka_producer_io_wait_time_ns_total}, {@code kafka_consumer_connection_count})
     * and with Kafka's descriptions, empty for the per-node request latencies; and two of Micrometer's standard
     * ones ({@code process_cpu_time_ns_total}, {@code system_cpu_count}). They keep the names operators know.
     * Nothing else may draw a lint problem.
     */
    static final Pattern OTHERS_NAMING = Pattern.compile("(kafka_[a-z0-9_]+|process_cpu_time_ns_total|system_cpu_count) "
            + "(metric names should not contain abbreviated units|non-histogram and non-summary metrics should not have \"_count\" suffix"
            + "|no help text)");

    static Pipeline pipeline;
    static HttpClient http;
    static Map<String, String> scrapes;

    @BeforeAll
    static void start() throws Exception {
        LocalStack stack = LocalStack.shared();
        pipeline = Pipeline.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                "RETRY_TIERS", "100ms,200ms",
                "NOTIFIER_CHANNELS", "log",
                "QUEUE_METRICS_INTERVAL", "1s",
                AuthSettings.API_KEYS, KEY.line()), new int[] {0, 0, 0});
        http = HttpClient.newHttpClient();
        // every kind of outcome: success, a retry that recovers, a non-retryable failure, an unknown type
        for (int i = 0; i < 20; i++) {
            submit("{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
        }
        for (int i = 0; i < 3; i++) {
            submit("{\"type\":\"fail\",\"payload\":{\"failAttempts\":1}}");
            submit("{\"type\":\"fail\",\"payload\":{\"nonRetryable\":true}}");
            submit("{\"type\":\"report.render\"}");
        }
        assertThat(post("{\"type\":\"Not A Type\"}").statusCode()).isEqualTo(400);
        get(pipeline.producerUrl() + "/no-such-route");
        await().atMost(java.time.Duration.ofMinutes(2)).untilAsserted(() -> {
            String processor = get(pipeline.processorUrl() + "/metrics");
            String notifier = get(pipeline.notifierUrl() + "/metrics");
            assertThat(processor).contains("conveyor_task_latency_seconds_bucket{outcome=\"succeeded\",type=\"echo\"")
                    .contains("conveyor_task_latency_seconds_bucket{outcome=\"failed\",type=\"report.render\"")
                    .contains("conveyor_retries_scheduled_total{tier=\"tasks.retry.100ms\",type=\"fail\"}");
            assertThat(notifier).contains("conveyor_results_notified_total{channel=\"log\",outcome=\"delivered\"}");
            assertThat(groupGauges(processor, "conveyor-processor")).isNotEmpty().doesNotContain("NaN");
            assertThat(groupGauges(notifier, "conveyor-notifier")).isNotEmpty().doesNotContain("NaN");
        });
        scrapes = new LinkedHashMap<>();
        scrapes.put("producer-app", get(pipeline.producerUrl() + "/metrics"));
        scrapes.put("processor-app", get(pipeline.processorUrl() + "/metrics"));
        scrapes.put("notifier-app", get(pipeline.notifierUrl() + "/metrics"));
        // kept for whoever reads a failure (and for promtool by hand)
        Path kept = Files.createDirectories(Path.of("target", "metrics"));
        for (Map.Entry<String, String> scrape : scrapes.entrySet()) {
            Files.writeString(kept.resolve(scrape.getKey() + ".prom"), scrape.getValue());
        }
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void promtoolParsesEveryAppsMetricsAndFindsNothingToLintButNamesOfKafkaAndMicrometer() {
        Promtool.assumeInstalled();
        scrapes.forEach((app, scrape) -> {
            Promtool.Run check = Promtool.run(scrape, "check", "metrics");

            List<String> problems = check.output().lines().filter(line -> !line.isBlank()).toList();
            assertThat(check.exitCode()).as("%s: 0 when nothing to lint, 3 when only lint problems: %s", app, check.output()).isIn(0, 3);
            assertThat(problems).as(app).allSatisfy(problem -> assertThat(OTHERS_NAMING.matcher(problem).matches())
                    .as("%s: a problem other than names Kafka or Micrometer chose: %s", app, problem).isTrue());
        });
    }

    @Test
    void theGatewayCountsItsResponsesByRouteAndStatus() {
        assertThat(scrapes.get("producer-app")).contains("conveyor_http_responses_total{route=\"/tasks\",status=\"202\"}")
                .contains("conveyor_http_responses_total{route=\"unmatched\",status=\"404\"} 1.0");
    }

    @Test
    void everyDashboardQueryParses() throws Exception {
        Promtool.assumeInstalled();
        // promtool parses queries where rules hold them: each panel's query becomes a recording rule
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> exprs = dashboardExprs();
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: dashboard:query_").append(i).append("\n        expr: ").append(JSON.writeValueAsString(exprs.get(i)))
                    .append('\n');
        }
        Path file = Files.createTempFile("conveyor-dashboard-queries", ".yml");
        try {
            Files.writeString(file, rules);

            Promtool.Run check = Promtool.run("", "check", "rules", file.toString());

            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(check.output()).contains("SUCCESS: " + exprs.size() + " rules found");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theDashboardNamesOnlyMetricsTheAppsExport() throws Exception {
        Set<String> named = namesIn(String.join("\n", dashboardExprs()));

        assertThat(named).contains("conveyor_task_latency_seconds_bucket", "conveyor_queue_latency_seconds", "conveyor_consumer_lag",
                "conveyor_consumer_group_members", "conveyor_retries_scheduled_total", "conveyor_results_notified_total");
        assertThat(exported()).containsAll(named);
    }

    @Test
    void theAlertingRulesNameOnlyMetricsTheAppsExport() throws Exception {
        Set<String> named = namesIn(Files.readString(Promtool.ALERTS));

        assertThat(named).isNotEmpty();
        assertThat(exported()).containsAll(named);
    }

    private static List<String> dashboardExprs() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : JSON.readTree(Promtool.DASHBOARD.toFile()).get("panels")) {
            panel.path("targets").forEach(target -> exprs.add(target.get("expr").asText()));
        }
        assertThat(exprs).isNotEmpty();
        return exprs;
    }

    private static Set<String> namesIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Every sample name in the three apps' scrapes. */
    private static Set<String> exported() {
        return scrapes.values().stream().flatMap(String::lines).filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The values of a group's queue gauges in a scrape. */
    private static List<String> groupGauges(String scrape, String group) {
        return scrape.lines().filter(line -> line.matches("conveyor_(consumer_lag|queue_latency_seconds|consumer_group_members)\\{.*group=\""
                + Pattern.quote(group) + "\".*")).map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    }

    private static void submit(String body) throws Exception {
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(pipeline.producerUrl() + "/tasks"))
                .header("Authorization", KEY.authorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
