package dev.conveyor.notifier;

import dev.conveyor.net.AddressPolicy;
import dev.conveyor.net.BlockedAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The webhook client's only way from a host name to addresses: it looks the name up once, checks every
 * address against the {@link AddressPolicy}, and hands the client exactly the addresses it checked,
 * so the address connected to is the address judged; a name that resolves to something public when
 * someone looks and to something internal when the notifier connects (DNS rebinding) is judged at
 * connect time. If any address is blocked the host is refused, so a name cannot mix a public address
 * with an internal one and hope for the latter.
 */
final class CheckedAddressResolver implements SocketAddressResolver {

    /** A host name lookup; {@link InetAddress#getAllByName} in production, a table in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final Lookup lookup;
    private final AddressPolicy policy;
    private final Executor executor;

    /**
     * @param executor runs each lookup, which may block on DNS (a virtual thread each, so the HTTP client's
     *                 own threads never wait on DNS)
     */
    CheckedAddressResolver(Lookup lookup, AddressPolicy policy, Executor executor) {
        this.lookup = lookup;
        this.policy = policy;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Promise<List<InetSocketAddress>> promise) {
        executor.execute(() -> {
            try {
                promise.succeeded(checked(host, port));
            } catch (Throwable failure) {
                promise.failed(failure);
            }
        });
    }

    List<InetSocketAddress> checked(String host, int port) throws UnknownHostException, BlockedAddressException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] found = lookup.addresses(name);
        if (found.length == 0) {
            throw new UnknownHostException(name);
        }
        List<InetSocketAddress> checked = new ArrayList<>(found.length);
        for (InetAddress address : found) {
            Optional<BlockedAddress> blocked = policy.check(name, port, address);
            if (blocked.isPresent()) {
                throw new BlockedAddressException(name, blocked.get());
            }
            // bound to the name, so TLS sends it as SNI and checks the certificate against it, not the address
            checked.add(new InetSocketAddress(InetAddress.getByAddress(name, address.getAddress()), port));
        }
        return checked;
    }
}
