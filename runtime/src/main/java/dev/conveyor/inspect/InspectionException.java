package dev.conveyor.inspect;

/** A snapshot could not be taken: the broker did not answer in time, or refused (for example, no such topic). */
public final class InspectionException extends RuntimeException {

    InspectionException(Throwable cause) {
        super("could not inspect the consumer group: " + cause, cause);
    }
}
