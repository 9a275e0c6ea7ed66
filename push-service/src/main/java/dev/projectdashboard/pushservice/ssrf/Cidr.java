package dev.projectdashboard.pushservice.ssrf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fc00::/7}). Hand-written prefix comparison over
 * {@link InetAddress#getAddress()} bytes: the JDK has no CIDR type, and the libraries on the classpath that match
 * subnets (Spring Security's {@code IpAddressMatcher}, Netty's {@code IpSubnetFilterRule}) take text or socket
 * addresses and would accept a network with host bits set.
 */
final class Cidr {

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * {@code address/prefix}, or a bare address for that one host. IPv4 in dotted-quad form only; an IPv4-mapped IPv6
     * network ({@code ::ffff:10.0.0.0/104}) becomes the IPv4 network it maps.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        boolean ipv6Text = addressText.contains(":");
        Optional<? extends InetAddress> parsed = ipv6Text
                ? (addressText.contains("%") ? Optional.empty() : IpLiterals.ipv6(addressText))
                : IpLiterals.dottedQuad(addressText);
        InetAddress address = parsed.orElseThrow(() -> new IllegalArgumentException("'" + addressText
                + "' is not an IP address (IPv4 as four decimal numbers without leading zeros, or IPv6)"));
        int maximum = ipv6Text ? 128 : 32;
        int prefix = maximum;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > maximum) {
                throw new IllegalArgumentException(
                        "the prefix length '" + prefixText + "' must be a number from 0 to " + maximum);
            }
            prefix = Integer.parseInt(prefixText);
        }
        if (ipv6Text && address instanceof Inet4Address) {
            if (prefix < 96) {
                throw new IllegalArgumentException(
                        "an IPv4-mapped network needs a prefix of at least 96; write the IPv4 network instead");
            }
            prefix -= 96;
        }
        byte[] bytes = address.getAddress();
        Cidr cidr = new Cidr(bytes, prefix);
        byte[] masked = cidr.masked(bytes);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("it has host bits set; did you mean "
                    + IpLiterals.format(IpLiterals.byAddress(masked)) + "/" + prefix + "?");
        }
        return cidr;
    }

    /** Whether {@code address} lies in this network; an IPv4 address never lies in an IPv6 network, nor the reverse. */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(masked(bytes), network);
    }

    private byte[] masked(byte[] bytes) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    @Override
    public String toString() {
        return IpLiterals.format(IpLiterals.byAddress(network)) + "/" + prefix;
    }
}
