package dev.conveyor.console.access;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browsers: a random session id (the cookie) maps to who signed in and the session's CSRF
 * token, which every POST must echo in a header. Held in memory: a restart signs everyone out.
 */
public final class ConsoleSessions {

    /** How long a sign-in lasts, whatever the activity: an operator signs in again each working day. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** Sessions kept at most; the oldest go first, so a flood of sign-ins cannot exhaust memory. */
    static final int MAX_SESSIONS = 10_000;
    private static final int TOKEN_BYTES = 32;

    /**
     * @param caller the API key id that signed in ({@code anonymous} without authentication)
     * @param key    the key that signed in, checked again on every request; null without authentication
     */
    public record Session(String id, String caller, dev.conveyor.auth.ApiKey key, String csrf, Instant expires) {

        /** Constant-time: the token must not be guessable from answer times. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    public Session open(String caller, dev.conveyor.auth.ApiKey key) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires().isAfter(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparing(Session::expires))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session session = new Session(token(), caller, key, token(), now.plus(LIFETIME));
        sessions.put(session.id(), session);
        return session;
    }

    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null || !session.expires().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
