package dev.conveyor.net;

/**
 * An address the notifier does not connect to, and why.
 *
 * @param address     the address as text
 * @param rule        short, stable name of the rule, e.g. {@code link-local} (a metric tag)
 * @param description what the address is, e.g. "link-local"
 * @param range       the block that holds it, e.g. {@code 169.254.0.0/16}
 * @param form        which IPv4 address an IPv6 one leads to ("the NAT64 form of 127.0.0.1 (64:ff9b::/96)"), or null
 */
public record BlockedAddress(String address, String rule, String description, Cidr range, String form) {

    /**
     * E.g. "169.254.169.254 is link-local (169.254.0.0/16)", or for an embedded IPv4 address
     * "64:ff9b::7f00:1 is loopback (127.0.0.0/8): the NAT64 form of 127.0.0.1 (64:ff9b::/96)".
     */
    public String describe() {
        return address + " is " + description + " (" + range + ")" + (form == null ? "" : ": " + form);
    }
}
