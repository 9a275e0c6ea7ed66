package dev.projectdashboard.pushservice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.pushservice.ssrf.AddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Where a webhook may be sent, with a resolver the test controls (no DNS). */
class EndpointGuardTests {

    private static final Map<String, List<String>> ZONE = Map.of(
            "public.test", List.of("93.184.216.34"),
            "loopback.test", List.of("127.0.0.1"),
            "metadata.test", List.of("169.254.169.254"),
            "mixed.test", List.of("93.184.216.34", "10.0.0.7"));

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> addresses = ZONE.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> resolved = new java.util.ArrayList<>();
        for (String address : addresses) {
            resolved.add(InetAddress.getByName(address));
        }
        return resolved;
    }

    private final EndpointGuard strict = new EndpointGuard(new AddressPolicy(List.of()), EndpointGuardTests::resolve);

    @Test
    void aPublicHostIsSentToTheAddressThatWasChecked() {
        StepVerifier.create(strict.check("https://public.test/hooks?x=1"))
                .assertNext(endpoint -> {
                    assertThat(endpoint.address().getHostAddress()).isEqualTo("93.184.216.34");
                    assertThat(endpoint.uri().getHost()).isEqualTo("public.test");
                    assertThat(endpoint.port()).isEqualTo(443);
                })
                .verifyComplete();
    }

    @Test
    void aHostNameResolvingToLoopbackOrTheMetadataAddressIsRefused() {
        StepVerifier.create(strict.check("http://loopback.test/"))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(EndpointGuard.RefusedEndpoint.class)
                        .hasMessageContaining("127.0.0.1"))
                .verify();
        StepVerifier.create(strict.check("http://metadata.test/"))
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("169.254.169.254"))
                .verify();
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
        StepVerifier.create(strict.check("http://mixed.test/"))
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("10.0.0.7"))
                .verify();
    }

    @Test
    void anUnknownHostAnIpLiteralAndABadUrlAreRefusedWithTheirReason() {
        StepVerifier.create(strict.check("http://nowhere.test/"))
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("does not resolve"))
                .verify();
        StepVerifier.create(strict.check("http://[::ffff:127.0.0.1]:8080/"))
                .expectError(EndpointGuard.RefusedEndpoint.class)
                .verify();
        StepVerifier.create(strict.check("file:///etc/passwd"))
                .expectError(EndpointGuard.RefusedEndpoint.class)
                .verify();
    }

    @Test
    void allowedNetworksAreTheOnlyException() {
        EndpointGuard local = new EndpointGuard(new AddressPolicy(List.of("127.0.0.0/8")), EndpointGuardTests::resolve);
        StepVerifier.create(local.check("http://loopback.test:9000/"))
                .assertNext(endpoint -> assertThat(endpoint.port()).isEqualTo(9000))
                .verifyComplete();
        StepVerifier.create(local.check("http://metadata.test/"))
                .expectError(EndpointGuard.RefusedEndpoint.class)
                .verify();
    }
}
