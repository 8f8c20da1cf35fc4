package dev.conveyor.http;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
/** {@code HTTP_PORT}: where an app serves /health, /metrics and its own routes; 0 picks a free port. */
public record HttpSettings(int port) {

    public static final String HTTP_PORT = "HTTP_PORT";

    public HttpSettings {
        if (port < 0 || port > 65535) {
            throw new ConfigException(HTTP_PORT, "must be between 0 and 65535, was " + port);
        }
    }

    public static HttpSettings load(Env env, int defaultPort) {
        return new HttpSettings(env.integer(HTTP_PORT, defaultPort));
    }
}
