package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.realtimeservice.channel.Reader;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Who a connection without a token becomes, under which address it is counted, and the warning under prod. */
@ExtendWith(OutputCaptureExtension.class)
class PublicAccessTests {

    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.7", 40_000);

    private static PublicAccess access(List<String> projects, String header, String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return new PublicAccess(new PublicAccessProperties(projects, header), environment);
    }

    private static MockServerHttpRequest request(String forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request =
                MockServerHttpRequest.get("/ws").remoteAddress(PEER);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.build();
    }

    @Test
    void warnsUnderTheProdProfileWhenProjectsArePublic(CapturedOutput output) {
        access(List.of("axi-star-cloud"), "X-Forwarded-For", "prod");

        assertThat(output)
                .contains("WARN")
                .contains("dashboard.realtime.public.projects")
                .contains("axi-star-cloud");
    }

    @Test
    void staysQuietWithoutProdOrWithoutPublicProjects(CapturedOutput output) {
        access(List.of("axi-star-cloud"), "X-Forwarded-For", "dev");
        access(List.of(), "X-Forwarded-For", "prod");

        assertThat(output).doesNotContain("dashboard.realtime.public.projects");
    }

    @Test
    void aReaderWithoutATokenIsPublicOnlyAndNamedAfterTheAddressTheGatewaySaw() {
        PublicAccess access = access(List.of("axi-star-cloud"), "X-Forwarded-For");

        // a client may send its own X-Forwarded-For: the gateway appends what it saw, the last entry counts
        Reader reader = access.reader(request("1.2.3.4, 203.0.113.9"));

        assertThat(reader.publicOnly()).isTrue();
        assertThat(reader.userId()).isEqualTo("anonymous@203.0.113.9");
        assertThat(reader.principal().roles()).isEmpty();
        assertThat(reader.principal().projects()).isEmpty();
    }

    @Test
    void fallsBackToThePeerWithoutTheHeaderWithAnythingButAnAddressInItOrWhenItIsNotConfigured() {
        assertThat(access(List.of("p"), "X-Forwarded-For").clientAddress(request(null)))
                .isEqualTo("10.0.0.7");
        assertThat(access(List.of("p"), "X-Forwarded-For").clientAddress(request("<script>")))
                .isEqualTo("10.0.0.7");
        assertThat(access(List.of("p"), "").clientAddress(request("203.0.113.9")))
                .isEqualTo("10.0.0.7");
        assertThat(access(List.of("p"), "X-Forwarded-For").clientAddress(request("2001:db8::1")))
                .isEqualTo("2001:db8::1");
    }
}
