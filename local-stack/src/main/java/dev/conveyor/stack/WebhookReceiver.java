package dev.conveyor.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/** A real HTTP endpoint on loopback that records every POSTed body: the far side of a webhook. */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request; {@code traceparent} is its W3C trace context header, if any. */
    public record Delivery(String path, String taskIdHeader, String body, String traceparent) {
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final java.util.function.Consumer<Delivery> listener;
    private volatile IntSupplier status = () -> 200;

    private WebhookReceiver(HttpServer server, java.util.function.Consumer<Delivery> listener) {
        this.server = server;
        this.listener = listener;
    }

    /** A receiver that keeps every delivery, for tests to inspect. */
    public static WebhookReceiver start() {
        return start(null);
    }

    /** A receiver that hands each delivery to {@code listener} instead of keeping it, for long runs. */
    public static WebhookReceiver start(java.util.function.Consumer<Delivery> listener) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            WebhookReceiver receiver = new WebhookReceiver(server, listener);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    int code = receiver.status.getAsInt();
                    if (code / 100 == 2) {
                        receiver.received(new Delivery(exchange.getRequestURI().getPath(),
                                exchange.getRequestHeaders().getFirst("Conveyor-Task-Id"), body,
                                exchange.getRequestHeaders().getFirst("traceparent")));
                    }
                    exchange.sendResponseHeaders(code, -1);
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

    private void received(Delivery delivery) {
        if (listener == null) {
            deliveries.add(delivery);
        } else {
            listener.accept(delivery);
        }
    }

    /** The status the next requests are answered with (2xx ones are recorded). */
    public void answerWith(IntSupplier statusCode) {
        this.status = statusCode;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
