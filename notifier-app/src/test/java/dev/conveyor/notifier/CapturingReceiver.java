package dev.conveyor.notifier;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/** A webhook receiver on 127.0.0.1 that keeps every request as it arrived: method, path, headers and the raw body bytes. */
final class CapturingReceiver implements AutoCloseable {

    /** One request; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Request> status = request -> 200;
    private volatile Map<String, String> answerHeaders = Map.of();

    private CapturingReceiver(HttpServer server) {
        this.server = server;
    }

    static CapturingReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
            CapturingReceiver receiver = new CapturingReceiver(server);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    Map<String, String> headers = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
                    Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, in.readAllBytes());
                    receiver.requests.add(request);
                    receiver.answerHeaders.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                    exchange.sendResponseHeaders(receiver.status.applyAsInt(request), -1);
                } finally {
                    exchange.close();
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status each request is answered with. */
    CapturingReceiver answerWith(ToIntFunction<Request> statusOfRequest) {
        this.status = statusOfRequest;
        return this;
    }

    CapturingReceiver answerHeaders(Map<String, String> headers) {
        this.answerHeaders = Map.copyOf(headers);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requestsFor(String taskId) {
        return requests.stream().filter(r -> taskId.equals(r.header("Conveyor-Task-Id"))).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
