package dev.conveyor.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A freshly made API key: the key itself, which is shown once and then only its client holds, and the
 * line the gateway stores for it.
 *
 * @param key    {@code cvk_} and 32 random bytes in URL-safe Base64; the prefix lets secret scanners recognise a leaked key
 * @param stored what the gateway knows of it
 */
public record NewApiKey(String key, ApiKey stored) {

    static final String PREFIX = "cvk_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param types          task type globs such as {@code email.*,report.render}; empty for a key that submits nothing
     * @param tasksPerSecond 0 for no limit
     */
    public static NewApiKey generate(String id, Set<Scope> scopes, String types, double tasksPerSecond) {
        byte[] secret = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewApiKey(key, new ApiKey(id, KeyHash.of(key), scopes, TypePatterns.parse(types), tasksPerSecond));
    }

    /** The line for {@code API_KEYS_FILE} or {@code API_KEYS}. */
    public String line() {
        return KeyLines.line(stored);
    }

    /** The header a client sends. */
    public String authorization() {
        return "Bearer " + key;
    }

    @Override
    public String toString() {
        return "NewApiKey[" + stored.id() + "]";
    }
}
