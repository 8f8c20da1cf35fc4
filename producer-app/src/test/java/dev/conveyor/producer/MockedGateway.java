package dev.conveyor.producer;

import dev.conveyor.auth.GatewayAuth;
import dev.conveyor.schema.TaskRequest;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The gateway's routes on a real HTTP server, with a mock producer in place of Kafka (payloads up to 1024 bytes). */
final class MockedGateway implements AutoCloseable {

    final MockProducer<String, TaskRequest> kafka;
    private final Javalin server;
    private final HttpClient http = HttpClient.newHttpClient();

    private MockedGateway(MockProducer<String, TaskRequest> kafka, Javalin server) {
        this.kafka = kafka;
        this.server = server;
    }

    /** @param acknowledge whether Kafka acknowledges every send at once, or only when the test completes it */
    static MockedGateway start(boolean acknowledge, int batchMaxTasks, int maxPendingSubmissions, GatewayAuth auth) {
        MockProducer<String, TaskRequest> kafka = new MockProducer<>(acknowledge, null, new StringSerializer(), (topic, task) -> new byte[0]);
        TaskClient client = new TaskClient(kafka, 1024, Clock.systemUTC(), new SimpleMeterRegistry());
        TaskGateway gateway = new TaskGateway(client, 1024, Duration.ofSeconds(30), batchMaxTasks, maxPendingSubmissions,
                new SimpleMeterRegistry(), auth);
        Javalin server = Javalin.create(config -> config.useVirtualThreads = true);
        auth.install(server);
        gateway.routes(server);
        server.start(0);
        return new MockedGateway(kafka, server);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** @param headers request headers as name, value, name, value, ... */
    CompletableFuture<HttpResponse<String>> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.stop();
        http.close();
    }
}
