package dev.conveyor.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A task's callback URL, checked for the forms a webhook must not take whatever it resolves to:
 * only absolute {@code http} and {@code https} URLs with a host, no user info ({@code user:pass@}, which
 * also hides the real host from a quick look), and no host a resolver would read as a numeric address
 * other than a dotted quad ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1}, {@code 0177.0.0.1}).
 * The gateway and the notifier both read callback URLs through it.
 *
 * @param host the host without IPv6 brackets
 * @param port the port, or the scheme's default
 */
public record CallbackUrl(URI uri, String host, int port) {

    /**
     * @throws InvalidCallbackUrlException saying which rule the URL breaks
     */
    public static CallbackUrl parse(String text) throws InvalidCallbackUrlException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidCallbackUrlException("malformed", "is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new InvalidCallbackUrlException("scheme", "must be an absolute http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidCallbackUrlException("user-info", "must not carry user info (user:password@): send credentials"
                    + " another way, e.g. in the path");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            // java.net.URI gives no host for names it cannot read, among them numeric forms such as 127.1
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceFirst("^.*@", "").replaceFirst(":[0-9]*$", "");
            if (!authority.isEmpty() && isNumericForm(authority)) {
                throw numericHost(authority);
            }
            throw new InvalidCallbackUrlException("malformed", "must be an absolute http(s) URL with a host name or address");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (isNumericForm(bare)) {
            throw numericHost(host);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return new CallbackUrl(uri, bare, port);
    }

    /** A host a resolver reads as an address although it is not the dotted quad or IPv6 text we read. */
    private static boolean isNumericForm(String host) {
        return host.indexOf(':') < 0 && IpLiterals.hasNumericLastLabel(host) && IpLiterals.parse(host).isEmpty();
    }

    private static InvalidCallbackUrlException numericHost(String host) {
        return new InvalidCallbackUrlException("numeric-host", "host '" + host + "' is a number that resolvers read as an"
                + " address: write an IPv4 address as a dotted quad without leading zeros, or use a host name");
    }

    /** The address the host spells out, when it is an IP address rather than a name; no DNS is asked. */
    public Optional<InetAddress> literalAddress() {
        return IpLiterals.parse(host).map(bytes -> {
            try {
                return InetAddress.getByAddress(host, bytes);
            } catch (UnknownHostException e) {
                // only thrown for a byte array of the wrong length, which a parsed literal never has
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Why this URL must not be delivered to under {@code policy} when its host is a blocked address
     * literal, or empty (a host name is judged by the notifier, on the addresses it resolves to).
     */
    public Optional<BlockedAddress> blockedLiteral(AddressPolicy policy) {
        return literalAddress().flatMap(address -> policy.check(host, port, address));
    }
}
