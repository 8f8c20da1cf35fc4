package dev.conveyor.logging;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.util.Set;

/**
 * {@code LOG_FORMAT}: {@code text} (the default) or {@code json}, read by the apps' {@code logback.xml}.
 * Logback takes any value and, for an unknown one, logs nothing at all, so every app checks it when it
 * loads its settings and refuses to start with an error that names the key.
 */
public final class LogFormat {

    public static final String LOG_FORMAT = "LOG_FORMAT";
    static final Set<String> FORMATS = Set.of("text", "json");

    private LogFormat() {
    }

    public static void check(Env env) {
        String format = env.string(LOG_FORMAT, "text");
        if (!FORMATS.contains(format)) {
            throw new ConfigException(LOG_FORMAT, "must be text or json, was '" + format + "'");
        }
    }
}
