package dev.conveyor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Which delivery a {@link NotificationChannel#deliver(dev.conveyor.schema.TaskResult, DeliveryAttempt)}
 * call is an attempt of: one result of one run of a task, through one channel.
 *
 * @param taskId  the task the result is of
 * @param run     which run of the task: 0 for the submission, the replay's time for a task replayed from a dead letter
 * @param channel the channel delivering it
 * @param attempt 1-based attempt number of this delivery
 * @param traceparent the task's W3C trace context, valid, for the channel to pass on (a webhook's {@code traceparent}
 *                    header); null when the result has none
 */
public record DeliveryAttempt(String taskId, long run, String channel, int attempt, String traceparent) {

    /** An attempt of a delivery with no trace context. */
    public DeliveryAttempt(String taskId, long run, String channel, int attempt) {
        this(taskId, run, channel, attempt, null);
    }

    /** Marks a delivery id, as the Standard Webhooks examples' {@code msg_}. */
    public static final String ID_PREFIX = "msg_";
    /** 144 bits of SHA-256: 24 base64 characters, far from any collision among a pipeline's deliveries. */
    private static final int ID_BYTES = 18;

    /**
     * The same for every attempt of this delivery and different for any other one, so receivers drop
     * repeats by it: a retry, or a result delivered again after a notifier restart, keeps its id, while a
     * replayed run's result gets a new one. {@code msg_} and URL-safe base64, so it never holds a '.'
     * (the Standard Webhooks signature joins the id, timestamp and body with dots).
     */
    public String deliveryId() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((taskId + '\n' + run + '\n' + channel).getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, ID_BYTES));
        } catch (NoSuchAlgorithmException e) {
            // every JDK provides SHA-256
            throw new IllegalStateException(e);
        }
    }
}
