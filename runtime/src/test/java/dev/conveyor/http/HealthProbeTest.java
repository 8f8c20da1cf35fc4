package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    @Test
    void healthyOnlyWhenHealthAnswers200() throws IOException {
        assertThat(HealthProbe.probe(serving(200))).isTrue();
        assertThat(HealthProbe.probe(serving(503))).isFalse();
    }

    @Test
    void unhealthyWhenNothingListens() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(HealthProbe.probe(URI.create("http://127.0.0.1:" + closed + "/health"))).isFalse();
    }

    /** A /health that answers {@code status} until the JVM exits. */
    private static URI serving(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"whatever\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }
}
