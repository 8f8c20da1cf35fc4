package dev.conveyor;

/** The receiver refused the result: retrying cannot help, the delivery is dead-lettered at once. */
public class DeliveryRefusedException extends Exception {

    public DeliveryRefusedException(String message) {
        super(message);
    }
}
