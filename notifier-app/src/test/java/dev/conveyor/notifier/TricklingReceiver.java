package dev.conveyor.notifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile receiver on 127.0.0.1, answering over a raw socket in one of the ways that would hold a
 * naive client forever: the status line a byte at a time, a 200 followed by a body that trickles
 * without end, or a 200 followed by an endless body as fast as the socket takes it.
 */
final class TricklingReceiver implements AutoCloseable {

    enum Mode { STATUS_LINE_TRICKLE, ENDLESS_SLOW_BODY, ENDLESS_FAST_BODY }

    /** Pause between the bytes a trickling answer sends: the receiver's slowness, not a test's wait. */
    static final Duration TRICKLE_PAUSE = Duration.ofMillis(50);

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicLong bytesSent = new AtomicLong();
    private final Thread acceptor;

    private TricklingReceiver(ServerSocket server, Mode mode) {
        this.server = server;
        this.mode = mode;
        this.acceptor = Thread.ofVirtual().name("trickling-receiver").start(this::accept);
    }

    static TricklingReceiver start(Mode mode) {
        try {
            return new TricklingReceiver(new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1")), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Body and header bytes written to every client so far. */
    long bytesSent() {
        return bytesSent.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            readRequestHead(in);
            switch (mode) {
                case STATUS_LINE_TRICKLE -> {
                    for (byte b : "HTTP/1.1 200 OK\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII)) {
                        send(out, new byte[] {b});
                        Thread.sleep(TRICKLE_PAUSE);
                    }
                    while (true) {
                        send(out, new byte[] {'x'});
                        Thread.sleep(TRICKLE_PAUSE);
                    }
                }
                case ENDLESS_SLOW_BODY -> {
                    send(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        send(out, "1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                        Thread.sleep(TRICKLE_PAUSE);
                    }
                }
                case ENDLESS_FAST_BODY -> {
                    send(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (true) {
                        send(out, chunk);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client hung up: what this receiver is for
        }
    }

    private void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    /** Reads the request up to the blank line ending its headers, and the body the client sends with it. */
    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.interrupt();
    }
}
