package dev.conveyor.security;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A password: its {@code toString} never shows it, so a configuration record holding one can be
 * logged or printed whole.
 *
 * @param value the secret itself
 */
public record Secret(String value) {

    /** Suffix of the variable that names a file holding the secret, e.g. a mounted Kubernetes secret. */
    public static final String FILE_SUFFIX = "_FILE";

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /**
     * The secret from {@code key}, or read from the file named by {@code key_FILE} (one trailing line
     * break dropped, as {@code echo} and most secret stores write one); empty when neither is set.
     */
    public static Optional<Secret> load(Env env, String key) {
        Optional<String> inline = env.find(key);
        Optional<String> file = env.find(key + FILE_SUFFIX);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(key, "set either " + key + " or " + key + FILE_SUFFIX + ", not both");
        }
        if (file.isEmpty()) {
            return inline.map(Secret::new);
        }
        String content;
        try {
            content = Files.readString(Path.of(file.get()));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key + FILE_SUFFIX, "cannot read '" + file.get() + "': " + e);
        }
        content = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (content.isEmpty()) {
            throw new ConfigException(key + FILE_SUFFIX, "'" + file.get() + "' is empty");
        }
        return Optional.of(new Secret(content));
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
