package dev.conveyor.webhooks;

/** A webhook that must not be trusted: a header is missing, the timestamp is out of tolerance, or no signature matches. */
public final class WebhookVerificationException extends Exception {

    public WebhookVerificationException(String message) {
        super(message);
    }
}
