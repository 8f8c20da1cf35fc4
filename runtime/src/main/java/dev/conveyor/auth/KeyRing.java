package dev.conveyor.auth;

import dev.conveyor.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys in use: those of {@code API_KEYS}, fixed, and those of {@code API_KEYS_FILE}, re-read
 * when the file's content changes, which a request checks at most once per check interval. A file
 * that cannot be read or holds an error leaves the keys loaded before in use (and says so in the log),
 * so a half-written file never locks every client out; a file emptied on purpose revokes its keys.
 * Logs name keys by id only.
 */
public final class KeyRing {

    /** How often the keys file is looked at; a changed key is in use this long after the file changed, at most. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    private final List<ApiKey> fixed;
    private final Path file;
    private final Duration checkInterval;
    private final Clock clock;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile List<ApiKey> keys;
    private volatile String fileContent;
    private volatile Instant nextCheck;

    private KeyRing(List<ApiKey> fixed, Path file, Duration checkInterval, Clock clock) {
        this.fixed = fixed;
        this.file = file;
        this.checkInterval = checkInterval;
        this.clock = clock;
    }

    /** Reads the keys; a file that cannot be read or holds an error, or no key at all, stops the start. */
    public static KeyRing open(AuthSettings settings, Duration checkInterval, Clock clock) {
        KeyRing ring = new KeyRing(settings.inlineKeys(), settings.keysFile(), checkInterval, clock);
        ring.keys = settings.inlineKeys();
        if (ring.file != null) {
            try {
                String content = ring.read();
                ring.keys = ring.combine(content);
                ring.fileContent = content;
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(AuthSettings.API_KEYS_FILE, "'" + ring.file + "': " + describe(e));
            }
        }
        if (ring.keys.isEmpty()) {
            throw new ConfigException(AuthSettings.API_KEYS_FILE, "'" + ring.file + "' holds no key and " + AuthSettings.API_KEYS
                    + " gives none; add a key line, or set " + AuthSettings.AUTH + "=" + AuthSettings.NO_AUTH);
        }
        ring.nextCheck = clock.instant().plus(checkInterval);
        return ring;
    }

    /** The key whose hash is the presented key's, if any. */
    public Optional<ApiKey> find(String presented) {
        reloadIfDue();
        KeyHash hash = KeyHash.of(presented);
        ApiKey found = null;
        // every hash is compared, so the answer takes as long wherever the key is in the list
        for (ApiKey key : keys) {
            if (key.hash().matches(hash) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code key} is still in the ring (same hash) with {@code scope}: false once it is revoked or narrowed. */
    public boolean holds(ApiKey key, Scope scope) {
        reloadIfDue();
        return keys.stream().anyMatch(k -> k.hash().matches(key.hash()) && k.has(scope));
    }

    /** The ids of the keys in use, each once. */
    public List<String> ids() {
        return keys.stream().map(ApiKey::id).distinct().toList();
    }

    private void reloadIfDue() {
        if (file == null || clock.instant().isBefore(nextCheck) || !reloading.tryLock()) {
            return;
        }
        try {
            if (clock.instant().isBefore(nextCheck)) {
                return;
            }
            nextCheck = clock.instant().plus(checkInterval);
            String content = read();
            if (content.equals(fileContent)) {
                return;
            }
            // remembered before it is read, so a file in error is reported once, not at every check
            fileContent = content;
            keys = combine(content);
            LOG.info("API keys reloaded from {}: {} keys of {} ids in use ({})", file, keys.size(), ids().size(), String.join(", ", ids()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("API keys file {} not reloaded, the {} keys loaded before stay in use: {}", file, keys.size(), describe(e));
        } finally {
            reloading.unlock();
        }
    }

    private String read() throws IOException {
        return Files.readString(file);
    }

    private List<ApiKey> combine(String content) {
        List<ApiKey> fromFile = KeyLines.parse(content);
        Map<String, ApiKey> inline = new HashMap<>();
        fixed.forEach(key -> inline.putIfAbsent(key.id(), key));
        for (ApiKey key : fromFile) {
            if (inline.containsKey(key.id())) {
                KeyLines.requireSameGrant(inline.get(key.id()), key);
            }
        }
        List<ApiKey> all = new ArrayList<>(fixed);
        all.addAll(fromFile);
        return List.copyOf(all);
    }

    private static String describe(Exception e) {
        return e instanceof IOException ? "cannot be read: " + e : e.getMessage();
    }
}
