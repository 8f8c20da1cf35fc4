package dev.conveyor.console;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's page and its script and style, from the classpath: one page whose sections the script
 * switches between and refreshes without reloading.
 */
final class ConsolePages {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private ConsolePages() {
    }

    static void routes(Javalin app) {
        FILES.forEach((path, file) -> {
            byte[] body = read(file);
            String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
            app.get(path, ctx -> ctx.contentType(type)
                    .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
                    .header("X-Content-Type-Options", "nosniff").result(body));
        });
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsolePages.class.getResourceAsStream("/console/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + file + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
