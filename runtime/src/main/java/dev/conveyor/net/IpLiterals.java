package dev.conveyor.net;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict reading of IP address text, without DNS and without the lenient forms some resolvers accept.
 * An IPv4 address is a dotted quad of decimal numbers 0-255 without leading zeros; an IPv6 address is
 * RFC 4291 text (optionally with a trailing dotted quad), without zone. IPv4-mapped IPv6 text keeps its
 * 16 bytes here, unlike {@link java.net.InetAddress}, which turns it into an IPv4 address.
 */
public final class IpLiterals {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    /**
     * A last label that is a decimal, octal or hexadecimal number: no top-level domain looks like that,
     * while {@code inet_aton} and resolvers built on it read such hosts as addresses.
     */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");

    private IpLiterals() {
    }

    /** The 4 or 16 bytes of an IPv4 dotted quad or an IPv6 text, or empty when {@code text} is neither. */
    public static Optional<byte[]> parse(String text) {
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    }

    static Optional<byte[]> ipv4(String text) {
        if (!DOTTED_QUAD.matcher(text).matches()) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    static Optional<byte[]> ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        byte[] head = gap < 0 ? groups(text, true) : groups(text.substring(0, gap), false);
        byte[] tail = gap < 0 ? new byte[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return Optional.empty();
        }
        int given = head.length + tail.length;
        if (gap < 0 ? given != 16 : given > 14) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(tail, 0, bytes, 16 - tail.length, tail.length);
        return Optional.of(bytes);
    }

    /** The bytes of colon-separated hex groups, the last of which may be a dotted quad when {@code last}; null if malformed. */
    private static byte[] groups(String text, boolean last) {
        if (text.isEmpty()) {
            return new byte[0];
        }
        String[] groups = text.split(":", -1);
        byte[] bytes = new byte[groups.length * 2 + 2];
        int length = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (last && i == groups.length - 1 && group.indexOf('.') >= 0) {
                Optional<byte[]> ipv4 = ipv4(group);
                if (ipv4.isEmpty()) {
                    return null;
                }
                System.arraycopy(ipv4.get(), 0, bytes, length, 4);
                length += 4;
                continue;
            }
            if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            int value = Integer.parseInt(group, 16);
            bytes[length++] = (byte) (value >> 8);
            bytes[length++] = (byte) value;
        }
        return java.util.Arrays.copyOf(bytes, length);
    }

    /**
     * Whether a host name's last label is a number (decimal, octal or hex, e.g. {@code 2130706433},
     * {@code 0x7f.1}, {@code 127.1}, {@code 0177.0.0.1}): such a host is an address to many resolvers,
     * whatever it looks like, and never a DNS name. A trailing dot is ignored.
     */
    public static boolean hasNumericLastLabel(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return NUMERIC_LABEL.matcher(last).matches();
    }

    /**
     * RFC 5952 text: IPv4 dotted, IPv6 lower-case hex with the longest run of zero groups as {@code ::},
     * an IPv4-mapped address as {@code ::ffff:} and its dotted quad.
     */
    public static String format(byte[] address) {
        return format(address, true);
    }

    static String format(byte[] address, boolean mappedAsIpv4) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (mappedAsIpv4 && IPV4_MAPPED.contains(address)) {
            return "::ffff:" + format(java.util.Arrays.copyOfRange(address, 12, 16));
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
