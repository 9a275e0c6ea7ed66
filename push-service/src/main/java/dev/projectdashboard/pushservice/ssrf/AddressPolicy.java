package dev.projectdashboard.pushservice.ssrf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which IP addresses a webhook may be delivered to, so that a registered URL cannot reach the service's own
 * network (server-side request forgery): loopback, private, link-local (with the cloud metadata address
 * 169.254.169.254), shared, multicast, reserved, documentation and benchmarking addresses are refused, as are the IPv6
 * forms that embed such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4). The networks named in
 * {@code PUSH_ALLOWED_PRIVATE_NETWORKS} are let through.
 *
 * <p>An allowed network lets through the addresses it contains, with an IPv4-mapped address counted as the IPv4
 * address it is; it does not let through the NAT64, 6to4 or IPv4-compatible forms of them, which are other
 * destinations (list those IPv6 networks themselves to allow them). Immutable and thread-safe.
 */
public final class AddressPolicy {

    private static final List<Range> IPV4 = List.of(
            new Range("0.0.0.0/32", "the unspecified address"),
            new Range("255.255.255.255/32", "the broadcast address"),
            new Range("0.0.0.0/8", "a 'this network' address"),
            new Range("10.0.0.0/8", "a private address"),
            new Range("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
            new Range("127.0.0.0/8", "a loopback address"),
            new Range("169.254.0.0/16", "a link-local address (where cloud metadata services answer)"),
            new Range("172.16.0.0/12", "a private address"),
            new Range("192.0.0.0/24", "an IETF protocol assignment"),
            new Range("192.0.2.0/24", "a documentation address"),
            new Range("192.88.99.0/24", "a 6to4 relay anycast address"),
            new Range("192.168.0.0/16", "a private address"),
            new Range("198.18.0.0/15", "a benchmarking address"),
            new Range("198.51.100.0/24", "a documentation address"),
            new Range("203.0.113.0/24", "a documentation address"),
            new Range("224.0.0.0/4", "a multicast address"),
            new Range("240.0.0.0/4", "a reserved address"));

    private static final List<Range> IPV6 = List.of(
            new Range("::/128", "the unspecified address"),
            new Range("::1/128", "the loopback address"),
            new Range("64:ff9b:1::/48", "a local-use NAT64 address"),
            new Range("100::/64", "a discard-only address"),
            new Range("2001::/32", "a Teredo tunnel address"),
            new Range("2001:db8::/32", "a documentation address"),
            new Range("3fff::/20", "a documentation address"),
            new Range("fc00::/7", "a unique local (private) address"),
            new Range("fe80::/10", "a link-local address"),
            new Range("fec0::/10", "a site-local (deprecated private) address"),
            new Range("ff00::/8", "a multicast address"));

    /** IPv6 forms with an IPv4 address inside: where it sits, and what the form is called. */
    private static final List<Embedding> EMBEDDINGS = List.of(
            new Embedding("::/96", 12, "an IPv4-compatible address"),
            new Embedding("64:ff9b::/96", 12, "a NAT64 address"),
            new Embedding("2002::/16", 2, "a 6to4 address"));

    private final List<Cidr> allowed;
    private final List<String> allowedText;

    /**
     * @param allowedCidrs networks a webhook may reach although they are private ({@code PUSH_ALLOWED_PRIVATE_NETWORKS},
     *     e.g. {@code 127.0.0.0/8}); a bare address allows that one host; blank entries are ignored
     * @throws IllegalArgumentException naming {@code PUSH_ALLOWED_PRIVATE_NETWORKS} and the entry that is not a network
     */
    public AddressPolicy(List<String> allowedCidrs) {
        Objects.requireNonNull(allowedCidrs, "allowedCidrs");
        List<Cidr> parsed = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (String entry : allowedCidrs) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            try {
                Cidr cidr = Cidr.parse(entry);
                parsed.add(cidr);
                text.add(cidr.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "PUSH_ALLOWED_PRIVATE_NETWORKS: '" + entry.strip() + "' is not a CIDR network: "
                                + e.getMessage(),
                        e);
            }
        }
        this.allowed = List.copyOf(parsed);
        this.allowedText = List.copyOf(text);
    }

    /** The allowed networks, normalised ({@code ::1/128}, {@code 127.0.0.0/8}), e.g. for the start-up log. */
    public List<String> allowedNetworks() {
        return allowedText;
    }

    /**
     * Why a webhook must not be delivered to {@code address}, e.g. {@code "127.0.0.1 is a loopback address
     * (127.0.0.0/8)"}; empty when it may be.
     */
    public Optional<String> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        InetAddress target = IpLiterals.unmapped(address);
        for (Cidr network : allowed) {
            if (network.contains(target)) {
                return Optional.empty();
            }
        }
        String shown = IpLiterals.format(target);
        if (target instanceof Inet4Address) {
            return blocked(IPV4, target).map(range -> shown + " is " + range);
        }
        Optional<String> blocked = blocked(IPV6, target);
        if (blocked.isPresent()) {
            return blocked.map(range -> shown + " is " + range);
        }
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.network().contains(target)) {
                InetAddress inner = embedding.inner(target);
                return blocked(IPV4, inner)
                        .map(range ->
                                shown + " is " + embedding.kind() + " of " + IpLiterals.format(inner) + ", " + range);
            }
        }
        return Optional.empty();
    }

    /** What the first range holding {@code address} is, with the range: {@code a loopback address (127.0.0.0/8)}. */
    private static Optional<String> blocked(List<Range> ranges, InetAddress address) {
        for (Range range : ranges) {
            if (range.network().contains(address)) {
                return Optional.of(range.kind() + " (" + range.network() + ")");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "AddressPolicy[allowed=" + allowedText + "]";
    }

    private record Range(Cidr network, String kind) {
        Range(String network, String kind) {
            this(Cidr.parse(network), kind);
        }
    }

    private record Embedding(Cidr network, int offset, String kind) {
        Embedding(String network, int offset, String kind) {
            this(Cidr.parse(network), offset, kind);
        }

        InetAddress inner(InetAddress address) {
            byte[] bytes = address.getAddress();
            return IpLiterals.byAddress(
                    new byte[] {bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]});
        }
    }
}
