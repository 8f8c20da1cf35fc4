package dev.conveyor.net;

import dev.conveyor.ConfigException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The internal receivers a webhook may reach although their addresses are blocked: networks
 * ({@code 10.20.0.0/16}, {@code fd00::/8}), single addresses ({@code 127.0.0.1}) and host names
 * ({@code hooks.internal}), each optionally for one port only ({@code 127.0.0.1:8080},
 * {@code [::1]:8080}, {@code hooks.internal:8443}). A host name matches the callback URL's host, so
 * every address it resolves to is allowed for it; a network matches the address connected to.
 */
public final class AllowedNetworks {

    private static final Pattern PORT_SUFFIX = Pattern.compile("(.*):([0-9]{1,5})");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final int ANY_PORT = -1;

    /** One allowlist entry: a network or a host name, and a port or {@link #ANY_PORT}. */
    private record Entry(Cidr network, String host, int port) {

        boolean allows(String callbackHost, int callbackPort, InetAddress address) {
            if (port != ANY_PORT && port != callbackPort) {
                return false;
            }
            return network != null ? network.contains(address) : host.equals(callbackHost);
        }
    }

    private static final AllowedNetworks NONE = new AllowedNetworks(List.of());

    private final List<Entry> entries;

    private AllowedNetworks(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Nothing allowed beyond public addresses. */
    public static AllowedNetworks none() {
        return NONE;
    }

    /**
     * Reads the entries of {@code key} (e.g. {@code WEBHOOK_ALLOWED_NETWORKS}); an entry that is neither
     * a network, an address nor a host name is a {@link ConfigException} naming {@code key}.
     */
    public static AllowedNetworks parse(String key, List<String> texts) {
        List<Entry> entries = new ArrayList<>();
        for (String text : texts) {
            entries.add(entry(key, text.strip()));
        }
        return new AllowedNetworks(entries);
    }

    /** Whether a callback to {@code host} (as in the URL) and {@code port}, connecting to {@code address}, is allowed. */
    public boolean allows(String host, int port, InetAddress address) {
        String normalized = normalizeHost(host);
        for (Entry entry : entries) {
            if (entry.allows(normalized, port, address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Lower case, without IPv6 brackets or a trailing dot, so {@code Hooks.Internal.} is {@code hooks.internal}. */
    public static String normalizeHost(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return name.toLowerCase(Locale.ROOT);
    }

    private static Entry entry(String key, String text) {
        String target = text;
        int port = ANY_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || !(close == text.length() - 1 || text.charAt(close + 1) == ':')) {
                throw invalid(key, text);
            }
            target = text.substring(1, close);
            port = close == text.length() - 1 ? ANY_PORT : port(key, text, text.substring(close + 2));
        } else if (text.indexOf(':') == text.lastIndexOf(':')) {
            // at most one colon: IPv4 or a host name with a port; more colons are an IPv6 network without a port
            Matcher withPort = PORT_SUFFIX.matcher(text);
            if (withPort.matches()) {
                target = withPort.group(1);
                port = port(key, text, withPort.group(2));
            }
        }
        if (target.indexOf('/') >= 0 || IpLiterals.parse(target).isPresent()) {
            try {
                return new Entry(Cidr.parse(target), null, port);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, "'" + text + "': " + e.getMessage());
            }
        }
        String host = normalizeHost(target);
        if (!HOST_NAME.matcher(host).matches() || IpLiterals.hasNumericLastLabel(host)) {
            throw invalid(key, text);
        }
        return new Entry(null, host, port);
    }

    private static int port(String key, String text, String port) {
        int value = port.isEmpty() ? 0 : Integer.parseInt(port);
        if (value < 1 || value > 65_535) {
            throw new ConfigException(key, "'" + text + "': the port must be 1 to 65535");
        }
        return value;
    }

    private static ConfigException invalid(String key, String text) {
        return new ConfigException(key, "'" + text + "' is not a network (10.0.0.0/8, fd00::/8), an address or a host name,"
                + " each optionally with :port ([::1]:8080 for IPv6)");
    }
}
