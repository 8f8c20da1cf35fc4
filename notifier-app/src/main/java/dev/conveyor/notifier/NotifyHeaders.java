package dev.conveyor.notifier;

/** Headers the notifier adds to a result waiting in a delivery tier, besides the retry headers. */
public final class NotifyHeaders {

    /** The one channel the retried delivery is for; the others already had their turn. */
    public static final String CHANNEL = "conveyor.notify.channel";

    private NotifyHeaders() {
    }
}
