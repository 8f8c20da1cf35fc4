package dev.conveyor;

/**
 * The notifier's own policy forbids the delivery (e.g. a callback URL that leads to a private
 * address): it is not attempted, not retried, and dead-lettered at once as {@code DELIVERY_BLOCKED}.
 */
public final class DeliveryBlockedException extends DeliveryRefusedException {

    private final String rule;

    /**
     * @param message names what was blocked and by which rule, e.g. "169.254.169.254 is link-local (169.254.0.0/16)"
     * @param rule    a short, stable name of the rule (a metric tag), e.g. {@code link-local}
     */
    public DeliveryBlockedException(String message, String rule) {
        super(message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
