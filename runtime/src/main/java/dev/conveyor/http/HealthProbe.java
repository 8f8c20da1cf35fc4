package dev.conveyor.http;

import dev.conveyor.Env;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container's {@code HEALTHCHECK}: asks the app in the same container for {@code GET /health} on
 * {@code HTTP_PORT} and exits 0 when it answers 200, 1 otherwise. It runs with the image's own
 * {@code java}, because an image is not assumed to hold curl or wget:
 * {@code java -cp /opt/conveyor/app.jar dev.conveyor.http.HealthProbe}. What it prints is what
 * {@code docker inspect} and {@code podman healthcheck run} show as the check's output.
 */
public final class HealthProbe {

    /** The port the images give every app ({@code ENV HTTP_PORT=8080} in the Dockerfile). */
    static final int IMAGE_HTTP_PORT = 8080;
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        int port = HttpSettings.load(Env.system(), IMAGE_HTTP_PORT).port();
        System.exit(probe(URI.create("http://127.0.0.1:" + port + "/health")) ? 0 : 1);
    }

    static boolean probe(URI health) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200;
        } catch (IOException e) {
            System.out.println("no answer from " + health + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
