package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.metrics.MetricNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every response of an app's server counted by route pattern and status, whatever path was asked. */
class HttpResponsesTest {

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpClient http = HttpClient.newHttpClient();
    AppServer server;

    @BeforeEach
    void start() {
        // no request here reaches /health, so the clients never connect
        KafkaClients clients = new KafkaClients(new ClusterConfig("127.0.0.1:1", "http://127.0.0.1:1"), meters);
        server = AppServer.start("test-app", new HttpSettings(0), new HealthCheck(clients, Clock.systemUTC()), meters, routes -> {
            routes.get("/tasks/{id}", ctx -> ctx.result("task " + ctx.pathParam("id")));
            routes.get("/boom", ctx -> {
                throw new IllegalStateException("boom");
            });
        });
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void givenRequestsToOneRouteThenTheyCountUnderItsPatternNotTheirPaths() throws Exception {
        get("/tasks/1");
        get("/tasks/2");

        assertThat(count("/tasks/{id}", "200")).isEqualTo(2);
    }

    @Test
    void givenAFailingRouteThenItsServerErrorIsCounted() throws Exception {
        assertThat(get("/boom")).isEqualTo(500);

        assertThat(count("/boom", "500")).isEqualTo(1);
    }

    @Test
    void givenPathsNoRouteMatchesThenTheyCountTogetherAsUnmatched() throws Exception {
        get("/no/such/path");
        get("/another-" + System.nanoTime());

        assertThat(count(HttpResponses.UNMATCHED, "404")).isEqualTo(2);
        assertThat(meters.scrape()).contains("conveyor_http_responses_total{route=\"unmatched\",status=\"404\"} 2.0")
                .doesNotContain("/no/such/path");
    }

    private int get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private double count(String route, String status) {
        var counter = meters.find(MetricNames.HTTP_RESPONSES).tag(MetricNames.TAG_ROUTE, route).tag(MetricNames.TAG_STATUS, status).counter();
        return counter == null ? 0 : counter.count();
    }
}
