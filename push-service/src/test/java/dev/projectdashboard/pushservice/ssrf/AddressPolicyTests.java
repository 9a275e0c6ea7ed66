package dev.projectdashboard.pushservice.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTests {

    private final AddressPolicy strict = new AddressPolicy(List.of());

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // each range at its first and last address
                "0.0.0.0         | 0.0.0.0 is the unspecified address (0.0.0.0/32)",
                "0.255.255.255   | 0.255.255.255 is a 'this network' address (0.0.0.0/8)",
                "0.1.2.3         | 0.1.2.3 is a 'this network' address (0.0.0.0/8)",
                "10.0.0.0        | 10.0.0.0 is a private address (10.0.0.0/8)",
                "10.255.255.255  | 10.255.255.255 is a private address (10.0.0.0/8)",
                "100.64.0.0      | 100.64.0.0 is a carrier-grade NAT (shared) address (100.64.0.0/10)",
                "100.127.255.255 | 100.127.255.255 is a carrier-grade NAT (shared) address (100.64.0.0/10)",
                "127.0.0.1       | 127.0.0.1 is a loopback address (127.0.0.0/8)",
                "127.255.255.254 | 127.255.255.254 is a loopback address (127.0.0.0/8)",
                "169.254.169.254 | 169.254.169.254 is a link-local address (where cloud metadata services answer)"
                        + " (169.254.0.0/16)",
                "169.254.0.0     | 169.254.0.0 is a link-local address (where cloud metadata services answer)"
                        + " (169.254.0.0/16)",
                "172.16.0.0      | 172.16.0.0 is a private address (172.16.0.0/12)",
                "172.31.255.255  | 172.31.255.255 is a private address (172.16.0.0/12)",
                "192.0.0.170     | 192.0.0.170 is an IETF protocol assignment (192.0.0.0/24)",
                "192.0.2.1       | 192.0.2.1 is a documentation address (192.0.2.0/24)",
                "192.88.99.1     | 192.88.99.1 is a 6to4 relay anycast address (192.88.99.0/24)",
                "192.168.0.0     | 192.168.0.0 is a private address (192.168.0.0/16)",
                "192.168.255.255 | 192.168.255.255 is a private address (192.168.0.0/16)",
                "198.18.0.0      | 198.18.0.0 is a benchmarking address (198.18.0.0/15)",
                "198.19.255.255  | 198.19.255.255 is a benchmarking address (198.18.0.0/15)",
                "198.51.100.7    | 198.51.100.7 is a documentation address (198.51.100.0/24)",
                "203.0.113.255   | 203.0.113.255 is a documentation address (203.0.113.0/24)",
                "224.0.0.1       | 224.0.0.1 is a multicast address (224.0.0.0/4)",
                "239.255.255.255 | 239.255.255.255 is a multicast address (224.0.0.0/4)",
                "240.0.0.0       | 240.0.0.0 is a reserved address (240.0.0.0/4)",
                "255.255.255.254 | 255.255.255.254 is a reserved address (240.0.0.0/4)",
                "255.255.255.255 | 255.255.255.255 is the broadcast address (255.255.255.255/32)",
                // IPv6 ranges
                "::              | :: is the unspecified address (::/128)",
                "::1             | ::1 is the loopback address (::1/128)",
                "fc00::1         | fc00::1 is a unique local (private) address (fc00::/7)",
                "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is a unique local"
                        + " (private) address (fc00::/7)",
                "fe80::1         | fe80::1 is a link-local address (fe80::/10)",
                "febf::1         | febf::1 is a link-local address (fe80::/10)",
                "fec0::1         | fec0::1 is a site-local (deprecated private) address (fec0::/10)",
                "ff02::1         | ff02::1 is a multicast address (ff00::/8)",
                "2001:db8::1     | 2001:db8::1 is a documentation address (2001:db8::/32)",
                "3fff:fff::1     | 3fff:fff::1 is a documentation address (3fff::/20)",
                "100::1          | 100::1 is a discard-only address (100::/64)",
                "2001:0:4136:e378:8000:63bf:3fff:fdd2 | 2001:0:4136:e378:8000:63bf:3fff:fdd2 is a Teredo tunnel"
                        + " address (2001::/32)",
                "64:ff9b:1::a00:1 | 64:ff9b:1::a00:1 is a local-use NAT64 address (64:ff9b:1::/48)",
                // IPv6 forms of refused IPv4 addresses
                "::ffff:127.0.0.1 | 127.0.0.1 is a loopback address (127.0.0.0/8)",
                "::ffff:a9fe:a9fe | 169.254.169.254 is a link-local address (where cloud metadata services answer)"
                        + " (169.254.0.0/16)",
                "::127.0.0.1      | ::7f00:1 is an IPv4-compatible address of 127.0.0.1, a loopback address"
                        + " (127.0.0.0/8)",
                "::10.1.2.3       | ::a01:203 is an IPv4-compatible address of 10.1.2.3, a private address"
                        + " (10.0.0.0/8)",
                "64:ff9b::127.0.0.1 | 64:ff9b::7f00:1 is a NAT64 address of 127.0.0.1, a loopback address"
                        + " (127.0.0.0/8)",
                "64:ff9b::169.254.169.254 | 64:ff9b::a9fe:a9fe is a NAT64 address of 169.254.169.254, a link-local"
                        + " address (where cloud metadata services answer) (169.254.0.0/16)",
                "2002:7f00:1::     | 2002:7f00:1:: is a 6to4 address of 127.0.0.1, a loopback address (127.0.0.0/8)",
                "2002:c0a8:101:1::1 | 2002:c0a8:101:1::1 is a 6to4 address of 192.168.1.1, a private address"
                        + " (192.168.0.0/16)",
                "2002:a9fe:a9fe::  | 2002:a9fe:a9fe:: is a 6to4 address of 169.254.169.254, a link-local address"
                        + " (where cloud metadata services answer) (169.254.0.0/16)",
            })
    void refusesAddressesOutsideThePublicInternet(String address, String reason) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.0.0.0",
                "8.8.8.8",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "192.0.1.255",
                "192.167.255.255",
                "192.169.0.0",
                "198.17.255.255",
                "198.20.0.0",
                "223.255.255.255",
                "2606:4700:4700::1111",
                "2a00:1450:4001:800::200e",
                "::ffff:8.8.8.8",
                "64:ff9b::8.8.8.8",
                "2002:808:808::1",
                "fbff:ffff::1",
                "fe7f::1",
            })
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void decodesAnIpv4MappedAddressTheJdkKeptAsIpv6() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(strict.refusal(address)).contains("10.0.0.1 is a private address (10.0.0.0/8)");
        assertThat(new AddressPolicy(List.of("10.0.0.0/8")).refusal(address)).isEmpty();
    }

    @Test
    void allowedNetworksLetTheirAddressesThrough() throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8", "10.1.0.0/16", "fd00:1::/32", "192.168.1.7"));

        assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("::ffff:127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.1.255.255"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.2.0.0"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("fd00:1:ffff::1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fd00:2::1"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("192.168.1.7"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("192.168.1.8"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("::1")))
                .as("IPv6 loopback is not 127.0.0.0/8")
                .isPresent();
        assertThat(policy.refusal(InetAddress.getByName("169.254.169.254"))).isPresent();
    }

    @Test
    void allowingAnIpv4NetworkDoesNotAllowItsTunnelledForms() throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8"));

        assertThat(policy.refusal(InetAddress.getByName("64:ff9b::127.0.0.1"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("2002:7f00:1::"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("::127.0.0.1"))).isPresent();
        assertThat(new AddressPolicy(List.of("64:ff9b::7f00:0/104"))
                        .refusal(InetAddress.getByName("64:ff9b::127.0.0.1")))
                .isEmpty();
    }

    @Test
    void readsAllowedNetworksInTheirUsualForms() {
        AddressPolicy policy = new AddressPolicy(
                List.of(" 127.0.0.0/8 ", "", "  ", "::1", "fd00::/8", "::ffff:10.0.0.0/104", "0.0.0.0/0"));

        assertThat(policy.allowedNetworks())
                .containsExactly("127.0.0.0/8", "::1/128", "fd00::/8", "10.0.0.0/8", "0.0.0.0/0");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "10.0.0.0/33     | the prefix length '33' must be a number from 0 to 32",
                "fc00::/129      | the prefix length '129' must be a number from 0 to 128",
                "10.0.0.0/-1     | the prefix length '-1' must be a number from 0 to 32",
                "10.0.0.0/       | the prefix length '' must be a number from 0 to 32",
                "10.0.0.0/8/8    | the prefix length '8/8' must be a number from 0 to 32",
                "10.1.2.3/8      | it has host bits set; did you mean 10.0.0.0/8?",
                "fd00::1/8       | it has host bits set; did you mean fd00::/8?",
                "localhost/8     | 'localhost' is not an IP address",
                "010.0.0.0/8     | '010.0.0.0' is not an IP address",
                "10.0.0/24       | '10.0.0' is not an IP address",
                "256.0.0.0/8     | '256.0.0.0' is not an IP address",
                "fe80::1%eth0/64 | 'fe80::1%eth0' is not an IP address",
                "::ffff:0:0/80   | an IPv4-mapped network needs a prefix of at least 96",
            })
    void refusesWhatIsNotANetworkNamingTheSetting(String entry, String problem) {
        assertThatThrownBy(() -> new AddressPolicy(List.of("127.0.0.0/8", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PUSH_ALLOWED_PRIVATE_NETWORKS: '" + entry + "' is not a CIDR network: ")
                .hasMessageContaining(problem);
    }

    @Test
    void refusalNamesNothingForAnAllowedAddress() throws Exception {
        Optional<String> refusal =
                new AddressPolicy(List.of("0.0.0.0/0", "::/0")).refusal(InetAddress.getByName("169.254.169.254"));

        assertThat(refusal).isEmpty();
    }
}
