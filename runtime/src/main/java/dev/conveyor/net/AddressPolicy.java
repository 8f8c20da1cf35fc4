package dev.conveyor.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides whether a webhook may connect to an address: allowed when {@link AllowedNetworks} lets the
 * callback reach it, else blocked when {@link BlockedNetworks} holds it. Both the gateway (for
 * literal addresses in a callback URL) and the notifier (for every address it connects to) ask it.
 */
public final class AddressPolicy {

    private final AllowedNetworks allowed;

    public AddressPolicy(AllowedNetworks allowed) {
        this.allowed = allowed;
    }

    /** Blocks every non-public address. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(AllowedNetworks.none());
    }

    /**
     * Why a callback to {@code host}:{@code port} must not connect to {@code address}, or empty when it may.
     *
     * @param host the callback URL's host, as written (a name or an address)
     */
    public Optional<BlockedAddress> check(String host, int port, InetAddress address) {
        if (allowed.allows(host, port, address)) {
            return Optional.empty();
        }
        return BlockedNetworks.match(address);
    }
}
