package dev.conveyor.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks no webhook may reach unless allowed by name: loopback, unspecified, private,
 * carrier-grade NAT, link-local (with the cloud metadata address 169.254.169.254), unique-local,
 * multicast, broadcast, and every other block of IANA's IPv4 and IPv6 special-purpose address
 * registries that is not globally reachable; in IPv6, everything outside global unicast
 * ({@code 2000::/3}). An IPv4 address embedded in IPv6 (IPv4-mapped {@code ::ffff:0:0/96},
 * IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) is judged as the
 * IPv4 address it leads to.
 */
public final class BlockedNetworks {

    record Range(String rule, String description, Cidr cidr) {
        Range(String rule, String description, String cidr) {
            this(rule, description, Cidr.parse(cidr));
        }
    }

    /** Most specific first: the first that holds an address names it. */
    static final List<Range> IPV4 = List.of(
            new Range("unspecified", "unspecified", "0.0.0.0/32"),
            new Range("this-network", "in \"this network\"", "0.0.0.0/8"),
            new Range("private", "private", "10.0.0.0/8"),
            new Range("carrier-grade-nat", "carrier-grade NAT shared address space", "100.64.0.0/10"),
            new Range("loopback", "loopback", "127.0.0.0/8"),
            new Range("link-local", "link-local", "169.254.0.0/16"),
            new Range("private", "private", "172.16.0.0/12"),
            new Range("ietf-protocol", "reserved for IETF protocol assignments", "192.0.0.0/24"),
            new Range("documentation", "reserved for documentation", "192.0.2.0/24"),
            new Range("6to4-relay", "the deprecated 6to4 relay anycast", "192.88.99.0/24"),
            new Range("private", "private", "192.168.0.0/16"),
            new Range("benchmarking", "reserved for benchmarking", "198.18.0.0/15"),
            new Range("documentation", "reserved for documentation", "198.51.100.0/24"),
            new Range("documentation", "reserved for documentation", "203.0.113.0/24"),
            new Range("multicast", "multicast", "224.0.0.0/4"),
            new Range("broadcast", "the limited broadcast address", "255.255.255.255/32"),
            new Range("reserved", "reserved", "240.0.0.0/4"));

    static final List<Range> IPV6 = List.of(
            new Range("unspecified", "unspecified", "::/128"),
            new Range("loopback", "loopback", "::1/128"),
            new Range("ipv4-compatible", "a deprecated IPv4-compatible address", "::/96"),
            new Range("nat64-local", "local-use NAT64", "64:ff9b:1::/48"),
            new Range("discard-only", "discard-only", "100::/64"),
            new Range("dummy", "a dummy prefix", "100:0:0:1::/64"),
            new Range("ietf-protocol", "reserved for IETF protocol assignments (Teredo, benchmarking, ...)", "2001::/23"),
            new Range("documentation", "reserved for documentation", "2001:db8::/32"),
            new Range("documentation", "reserved for documentation", "3fff::/20"),
            new Range("segment-routing", "reserved for segment routing", "5f00::/16"),
            new Range("unique-local", "unique-local", "fc00::/7"),
            new Range("link-local", "link-local", "fe80::/10"),
            new Range("site-local", "deprecated site-local", "fec0::/10"),
            new Range("multicast", "multicast", "ff00::/8"));

    /** Global unicast: the only IPv6 block with public addresses (embedded IPv4 forms aside). */
    static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

    /** IPv6 forms that lead to an IPv4 address, and where in the 16 bytes it sits. */
    record Embedding(String form, Cidr cidr, int offset) {
        Embedding(String form, String cidr, int offset) {
            this(form, Cidr.parse(cidr), offset);
        }
    }

    static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding("IPv4-mapped", "::ffff:0:0/96", 12),
            new Embedding("IPv4-compatible", "::/96", 12),
            new Embedding("NAT64", "64:ff9b::/96", 12),
            new Embedding("6to4", "2002::/16", 2));

    private BlockedNetworks() {
    }

    /** Why {@code address} is blocked, or empty when it is a public address. */
    public static Optional<BlockedAddress> match(InetAddress address) {
        return match(address.getAddress());
    }

    /** As {@link #match(InetAddress)}, for the 4 or 16 bytes of an address. */
    public static Optional<BlockedAddress> match(byte[] address) {
        String text = IpLiterals.format(address);
        if (address.length == 4) {
            return first(IPV4, address).map(range -> blocked(text, range, null));
        }
        // :: and ::1 sit inside ::/96 but are IPv6's own unspecified and loopback addresses
        Optional<Range> exact = first(IPV6.subList(0, 2), address);
        if (exact.isPresent()) {
            return exact.map(range -> blocked(text, range, null));
        }
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.cidr().contains(address)) {
                byte[] ipv4 = Arrays.copyOfRange(address, embedding.offset(), embedding.offset() + 4);
                Optional<Range> range = first(IPV4, ipv4);
                if (range.isPresent()) {
                    return Optional.of(new BlockedAddress(text, range.get().rule(), range.get().description(), range.get().cidr(),
                            "the " + embedding.form() + " form of " + IpLiterals.format(ipv4) + " (" + embedding.cidr() + ")"));
                }
                break;
            }
        }
        Optional<Range> range = first(IPV6, address);
        if (range.isPresent()) {
            return range.map(r -> blocked(text, r, null));
        }
        if (!GLOBAL_UNICAST.contains(address) && !isPublicEmbedding(address)) {
            return Optional.of(new BlockedAddress(text, "reserved", "outside IPv6 global unicast", GLOBAL_UNICAST, null));
        }
        return Optional.empty();
    }

    /** IPv4-mapped and NAT64 forms of a public IPv4 address lead to that address (IPv4-compatible ones were blocked above). */
    private static boolean isPublicEmbedding(byte[] address) {
        return EMBEDDINGS.get(0).cidr().contains(address) || EMBEDDINGS.get(2).cidr().contains(address);
    }

    private static Optional<Range> first(List<Range> ranges, byte[] address) {
        for (Range range : ranges) {
            if (range.cidr().contains(address)) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    private static BlockedAddress blocked(String address, Range range, String form) {
        return new BlockedAddress(address, range.rule(), range.description(), range.cidr(), form);
    }
}
