package dev.projectdashboard.gateway.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTests {

    private final ClientAddresses addresses = new ClientAddresses("10[.]0[.]0[.]1|10[.]0[.]0[.]2");

    @Test
    void takesThePeerWhenItIsNoTrustedProxy() {
        assertThat(addresses.clientAddress(from("198.51.100.7", "203.0.113.9"))).isEqualTo("198.51.100.7");
    }

    @Test
    void takesTheAddressTheTrustedProxySawNotWhatTheClientWroteBeforeIt() {
        assertThat(addresses.clientAddress(from("10.0.0.1", "1.2.3.4, 203.0.113.9")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void walksBackThroughAChainOfTrustedProxies() {
        assertThat(addresses.clientAddress(from("10.0.0.1", "203.0.113.9, 10.0.0.2")))
                .isEqualTo("203.0.113.9");
        assertThat(addresses.clientAddress(from("10.0.0.1", "1.1.1.1", "203.0.113.9, 10.0.0.2")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void stopsAtAnEntryThatIsNoAddress() {
        assertThat(addresses.clientAddress(from("10.0.0.1", "203.0.113.9, unknown, 10.0.0.2")))
                .isEqualTo("10.0.0.2");
        assertThat(addresses.clientAddress(from("10.0.0.1", "evil.example"))).isEqualTo("10.0.0.1");
    }

    @Test
    void takesTheTrustedPeerWhenNothingIsForwarded() {
        assertThat(addresses.clientAddress(from("10.0.0.1"))).isEqualTo("10.0.0.1");
    }

    @Test
    void trustsNobodyWithoutAPattern() {
        assertThat(new ClientAddresses("").clientAddress(from("10.0.0.1", "203.0.113.9")))
                .isEqualTo("10.0.0.1");
    }

    @Test
    void readsTheBrowsersOriginFromATrustedProxyOnly() {
        MockServerHttpRequest behindProxy = MockServerHttpRequest.get("http://gateway:8080/x")
                .remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "Dashboard.Example.org:443")
                .build();
        MockServerHttpRequest direct = MockServerHttpRequest.get("http://gateway:8080/x")
                .remoteAddress(new InetSocketAddress("198.51.100.7", 40000))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "dashboard.example.org")
                .build();

        assertThat(addresses.requestOrigin(behindProxy)).isEqualTo("https://dashboard.example.org");
        assertThat(addresses.requestOrigin(direct)).isEqualTo("http://gateway:8080");
    }

    private static MockServerHttpRequest from(String peer, String... forwardedFor) {
        return MockServerHttpRequest.get("/x")
                .remoteAddress(new InetSocketAddress(peer, 40000))
                .header("X-Forwarded-For", forwardedFor)
                .build();
    }
}
