package dev.conveyor.notifier;

import dev.conveyor.net.BlockedAddress;
import java.io.IOException;

/** A connection the address policy did not let the webhook client open. */
final class BlockedAddressException extends IOException {

    private final transient BlockedAddress blocked;

    BlockedAddressException(String host, BlockedAddress blocked) {
        super(host.equals(blocked.address()) ? blocked.describe() : host + " resolves to " + blocked.describe());
        this.blocked = blocked;
    }

    BlockedAddress blocked() {
        return blocked;
    }
}
