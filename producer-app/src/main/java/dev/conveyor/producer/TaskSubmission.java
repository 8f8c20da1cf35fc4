package dev.conveyor.producer;

import dev.conveyor.kafka.TaskRecords;
import dev.conveyor.net.AddressPolicy;
import dev.conveyor.net.CallbackUrl;
import dev.conveyor.net.InvalidCallbackUrlException;
import dev.conveyor.trace.Traceparent;
import java.util.Map;

/**
 * A task as submitted, before it has an id. Validates the contract shared by the HTTP gateway and
 * the Java client, so both accept and refuse exactly the same tasks.
 *
 * @param type        required; lower-case words separated by dots, dashes or underscores, e.g. {@code email.send}
 * @param key         optional ordering key (tasks with one key run in submission order); defaults to the task id
 * @param payload     handler input as JSON text; defaults to {@code {}}
 * @param callbackUrl optional http(s) URL the notifier POSTs the result to; not to a blocked address literal (see
 *                    {@link dev.conveyor.net.BlockedNetworks}), without user info or numeric host forms
 * @param headers     optional free-form string metadata, carried to the result
 * @param timeout     optional per-attempt handler timeout (at most {@value #MAX_TIMEOUT_HOURS} h); null for the processor's default
 * @param runAt       optional run time of a delayed task (at most {@value #MAX_DELAY_DAYS} days ahead); null to run now
 * @param maxAttempts optional attempt limit (1..{@value #MAX_ATTEMPTS_LIMIT}); null for the processor's {@code MAX_ATTEMPTS}
 * @param idempotencyKey optional (1..{@value #MAX_KEY_LENGTH} characters): submitting the same key again within the
 *                       retention returns the first submission's task id and the task runs once
 * @param traceparent optional W3C trace context the task joins (the caller's, e.g. from {@link Traceparent#parse}); it
 *                    travels unchanged to the task's result, events, dead letters and webhook. Null starts a new trace
 */
public record TaskSubmission(String type, String key, String payload, String callbackUrl,
                             Map<String, String> headers, Integer maxAttempts, java.time.Duration timeout,
                             java.time.Instant runAt, String idempotencyKey, Traceparent traceparent) {

    public static final int MAX_TYPE_LENGTH = TaskRecords.MAX_TYPE_LENGTH;
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_HEADERS = 64;
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final int MAX_TIMEOUT_HOURS = 24;
    public static final int MAX_DELAY_DAYS = 30;
    /** Marks the keys {@link #of} draws. */
    static final String DRAWN_KEY_PREFIX = "conveyor-drawn-";

    /** A submission that starts a new trace. */
    public TaskSubmission(String type, String key, String payload, String callbackUrl, Map<String, String> headers,
                          Integer maxAttempts, java.time.Duration timeout, java.time.Instant runAt, String idempotencyKey) {
        this(type, key, payload, callbackUrl, headers, maxAttempts, timeout, runAt, idempotencyKey, null);
    }

    public TaskSubmission {
        if (type == null || type.isBlank()) {
            throw new InvalidTaskException("type", "is required");
        }
        if (type.length() > MAX_TYPE_LENGTH || !TaskRecords.isTaskType(type)) {
            throw new InvalidTaskException("type", "'" + abbreviate(type) + "' is not a task type: use lower-case letters and digits"
                    + " separated by '.', '-' or '_' (at most " + MAX_TYPE_LENGTH + " characters), e.g. email.send");
        }
        if (key != null && (key.isEmpty() || key.length() > MAX_KEY_LENGTH)) {
            throw new InvalidTaskException("key", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        payload = payload == null ? "{}" : payload;
        if (callbackUrl != null) {
            requireDeliverableCallback(callbackUrl);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (headers.size() > MAX_HEADERS) {
            throw new InvalidTaskException("headers", "at most " + MAX_HEADERS + " entries");
        }
        // compared as durations: toMillis() of one of millions of years does not fit a long
        if (timeout != null && (timeout.compareTo(java.time.Duration.ofMillis(1)) < 0
                || timeout.compareTo(java.time.Duration.ofHours(MAX_TIMEOUT_HOURS)) > 0)) {
            throw new InvalidTaskException("timeout", "must be between 1ms and " + MAX_TIMEOUT_HOURS + "h");
        }
        if (runAt != null && runAt.isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(MAX_DELAY_DAYS)))) {
            throw new InvalidTaskException("runAt", "must be at most " + MAX_DELAY_DAYS + " days ahead");
        }
        // a run time in the past runs the task now; one before 1970 is a mistake, and one millions of
        // years back is not even a timestamp in milliseconds, which the task record holds
        if (runAt != null && runAt.isBefore(java.time.Instant.EPOCH)) {
            throw new InvalidTaskException("runAt", "must not be before 1970-01-01T00:00:00Z");
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT)) {
            throw new InvalidTaskException("maxAttempts", "must be between 1 and " + MAX_ATTEMPTS_LIMIT);
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw new InvalidTaskException("idempotencyKey", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
    }

    /**
     * A submission with an idempotency key drawn now, so submitting this same value again (after a
     * timeout or a 503) yields the same task, run once, through a client built with
     * {@link TaskClient#withIdempotency}; a plain client, which cannot claim keys, ignores a drawn key.
     * {@link #withIdempotencyKey} replaces it with the caller's own.
     */
    public static TaskSubmission of(String type, String payload) {
        return new TaskSubmission(type, null, payload, null, Map.of(), null, null, null, DRAWN_KEY_PREFIX + java.util.UUID.randomUUID());
    }

    /** Whether the idempotency key is one {@link #of} drew, not the caller's. */
    public boolean drawnIdempotencyKey() {
        return idempotencyKey != null && idempotencyKey.startsWith(DRAWN_KEY_PREFIX);
    }

    public TaskSubmission withKey(String newKey) {
        return new TaskSubmission(type, newKey, payload, callbackUrl, headers, maxAttempts, timeout, runAt, idempotencyKey, traceparent);
    }

    public TaskSubmission runningAt(java.time.Instant when) {
        return new TaskSubmission(type, key, payload, callbackUrl, headers, maxAttempts, timeout, when, idempotencyKey, traceparent);
    }

    public TaskSubmission withCallbackUrl(String url) {
        return new TaskSubmission(type, key, payload, url, headers, maxAttempts, timeout, runAt, idempotencyKey, traceparent);
    }

    public TaskSubmission withIdempotencyKey(String newKey) {
        return new TaskSubmission(type, key, payload, callbackUrl, headers, maxAttempts, timeout, runAt, newKey, traceparent);
    }

    /** This submission in the trace {@code context}; null starts a new one. */
    public TaskSubmission withTraceparent(Traceparent context) {
        return new TaskSubmission(type, key, payload, callbackUrl, headers, maxAttempts, timeout, runAt, idempotencyKey, context);
    }

    /**
     * Refuses what no webhook is sent to: another scheme, user info, numeric host forms, and literal
     * addresses the notifier blocks (loopback, private, link-local, ...). Host names are not resolved
     * here: the notifier judges the addresses they lead to when it connects. The gateway applies no
     * allowlist, so a receiver inside the network is named by a host name the notifier allows.
     */
    private static void requireDeliverableCallback(String url) {
        try {
            CallbackUrl callback = CallbackUrl.parse(url);
            callback.blockedLiteral(AddressPolicy.publicOnly()).ifPresent(blocked -> {
                throw new InvalidTaskException("callbackUrl", "must not lead to a blocked address: " + blocked.describe()
                        + "; name an internal receiver by a host name allowed in the notifier's WEBHOOK_ALLOWED_NETWORKS");
            });
        } catch (InvalidCallbackUrlException e) {
            throw new InvalidTaskException("callbackUrl", e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
