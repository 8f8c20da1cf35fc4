package dev.conveyor.net;

import java.net.InetAddress;
import java.util.Arrays;

/** A block of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fe80::/10}; a single address is a full-length block. */
public final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Reads {@code address/prefix} or a single address. Bits past the prefix must be zero, so a typo such
     * as {@code 10.1.0.0/8} is an error rather than a silently wider block.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] network = IpLiterals.parse(addressText)
                .orElseThrow(() -> new IllegalArgumentException("'" + addressText + "' is not an IPv4 or IPv6 address"));
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > bits) {
                throw new IllegalArgumentException("'" + prefixText + "' is not a prefix length of 0 to " + bits);
            }
            prefix = Integer.parseInt(prefixText);
        }
        Cidr cidr = new Cidr(network, prefix);
        if (!Arrays.equals(cidr.masked(network), network)) {
            throw new IllegalArgumentException("'" + trimmed + "' has bits set past its prefix; the block is "
                    + new Cidr(cidr.masked(network), prefix));
        }
        return cidr;
    }

    /** Whether {@code address} is in this block; an IPv4 block holds only IPv4 addresses, an IPv6 block only IPv6 ones. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** As {@link #contains(InetAddress)}, for the 4 or 16 bytes of an address. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        return Arrays.equals(masked(address), network);
    }

    private byte[] masked(byte[] address) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefix == cidr.prefix && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        // a block is written in hex (::ffff:0:0/96), whatever IPv4 addresses it holds
        return IpLiterals.format(network, false) + "/" + prefix;
    }
}
