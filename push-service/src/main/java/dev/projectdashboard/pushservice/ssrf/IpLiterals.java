package dev.projectdashboard.pushservice.ssrf;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IP address text without ever asking DNS: {@link InetAddress#getByName} looks up anything it does not take for
 * a literal, and takes some forms ({@code 010.0.0.1}) differently from {@code inet_aton}.
 */
final class IpLiterals {

    /** A label that {@code inet_aton} reads as a number: decimal, octal (leading 0) or hex ({@code 0x}). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    /** What IPv6 text is made of (an IPv4 tail included): nothing the JDK could take for a host name. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private static final Pattern DOTTED_QUAD_PART = Pattern.compile("0|[1-9][0-9]{0,2}");

    private IpLiterals() {}

    /** {@code a.b.c.d}, each a decimal number 0–255 without leading zeros: the one IPv4 form every reader agrees on. */
    static Optional<Inet4Address> dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!DOTTED_QUAD_PART.matcher(parts[i]).matches()) {
                return Optional.empty();
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of((Inet4Address) byAddress(bytes));
    }

    /** Whether every dot-separated label of {@code host} is a number as {@code inet_aton} reads one. */
    static boolean allLabelsNumeric(String host) {
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!NUMERIC_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last label of {@code host} is a number: a host name never ends in one, an IPv4 address does. */
    static boolean endsInNumber(String host) {
        return NUMERIC_LABEL.matcher(host.substring(host.lastIndexOf('.') + 1)).matches();
    }

    /**
     * {@code host} read as glibc's {@code inet_aton} reads it: one to four parts, each decimal, octal (leading
     * {@code 0}) or hex ({@code 0x}), the last filling the remaining bytes ({@code 127.1} is 127.0.0.1,
     * {@code 2130706433} is 127.0.0.1, {@code 0x7f.1} is 127.0.0.1, {@code 0177.0.0.1} is 127.0.0.1).
     */
    static Optional<Inet4Address> inetAton(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            if (value < 0) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return Optional.of((Inet4Address) byAddress(bytes));
    }

    /** One {@code inet_aton} part's value, or -1 when it is no number or exceeds 32 bits. */
    private static long number(String part) {
        if (!NUMERIC_LABEL.matcher(part).matches()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (digit < 0) {
                return -1; // an 8 or 9 in an octal part
            }
            value = value * radix + digit;
            if (value > 0xffff_ffffL) {
                return -1;
            }
        }
        return value;
    }

    /**
     * An IPv6 literal without brackets; a zone id ({@code %eth0}) is dropped. An IPv4-mapped address comes back as
     * the {@link Inet4Address} it maps to, as the JDK connects to it.
     */
    static Optional<InetAddress> ipv6(String text) {
        int zone = text.indexOf('%');
        String address = zone < 0 ? text : text.substring(0, zone);
        if (!IPV6_CHARACTERS.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            // in brackets the JDK parses an IPv6 literal or fails; it never looks the text up
            return Optional.of(InetAddress.getByName("[" + address + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for; others unchanged. */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isMapped(bytes)) {
            return byAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        }
        return address;
    }

    private static boolean isMapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** RFC 5952 text of an address ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    static String format(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }
}
