package dev.conveyor.producer;

/** A payload over the configured {@code MAX_PAYLOAD_BYTES}. */
public final class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(int actualBytes, int maxBytes) {
        super("payload is " + actualBytes + " bytes, more than the " + maxBytes + " allowed");
    }
}
