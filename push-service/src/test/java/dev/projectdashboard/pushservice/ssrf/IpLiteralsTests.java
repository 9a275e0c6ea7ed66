package dev.projectdashboard.pushservice.ssrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTests {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3.4", "::g", "[::1]", "", ":::::::::"})
    void handsTheJdkNothingButIpv6Text(String text) {
        assertThat(IpLiterals.ipv6(text)).isEmpty();
    }

    @Test
    void readsIpv6TextIncludingAnIpv4TailAndDropsTheZone() throws Exception {
        assertThat(IpLiterals.ipv6("::1")).contains(InetAddress.getByName("::1"));
        assertThat(IpLiterals.ipv6("64:ff9b::192.0.2.33").orElseThrow())
                .isInstanceOf(Inet6Address.class)
                .isEqualTo(InetAddress.getByName("64:ff9b::c000:221"));
        Inet6Address zoned = (Inet6Address) IpLiterals.ipv6("fe80::1%eth0").orElseThrow();
        assertThat(zoned.getScopedInterface()).isNull();
        assertThat(zoned.getScopeId()).isZero();
    }

    @Test
    void acceptsOnlyCanonicalDottedQuads() {
        assertThat(IpLiterals.dottedQuad("0.0.0.0")).isPresent();
        assertThat(IpLiterals.dottedQuad("255.255.255.255")).isPresent();
        for (String other :
                new String[] {"01.2.3.4", "1.2.3", "1.2.3.4.", "256.1.1.1", "1.2.3.+4", "1.2.3.0x4", " 1.2.3.4"}) {
            assertThat(IpLiterals.dottedQuad(other)).as(other).isEmpty();
        }
    }

    @Test
    void formatsAddressesAsRfc5952() throws Exception {
        assertThat(IpLiterals.format(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(IpLiterals.format(InetAddress.getByName("2001:DB8:0:0:1:0:0:1")))
                .isEqualTo("2001:db8::1:0:0:1");
    }
}
