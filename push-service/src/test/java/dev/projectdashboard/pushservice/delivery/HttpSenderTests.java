package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.pushservice.webhook.EndpointGuard.Endpoint;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** One attempt over a real connection to a {@link WebhookSink}. */
class HttpSenderTests {

    private final WebhookSink sink = new WebhookSink();
    private final HttpSender sender = new HttpSender(10, Duration.ofSeconds(20));

    @AfterEach
    void close() {
        sink.close();
    }

    @Test
    void connectsToTheCheckedAddressWhateverTheHostNameWouldResolveTo() throws Exception {
        // sink.invalid resolves nowhere: only the pinned address can have carried this request
        URI uri = URI.create("http://sink.invalid:" + sink.port() + "/pinned");
        Endpoint endpoint = new Endpoint(uri, InetAddress.getByName("127.0.0.1"));

        StepVerifier.create(sender.send(new HttpSender.Request(
                        endpoint, Map.of("X-Test", "1"), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))))
                .assertNext(response -> {
                    assertThat(response.error()).isNull();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("{\"ok\":true}");
                })
                .verifyComplete();
        assertThat(sink.received()).hasSize(1);
        assertThat(sink.received().get(0).header("Host")).isEqualTo("sink.invalid:" + sink.port());
        assertThat(sink.received().get(0).header("X-Test")).isEqualTo("1");
    }

    @Test
    void anEndpointThatDoesNotAnswerInTimeIsATimeoutNotAnError() throws Exception {
        sink.otherwise(new WebhookSink.Answer(200, Map.of(), Duration.ofSeconds(10)));
        Endpoint endpoint = new Endpoint(URI.create(sink.url("/slow")), InetAddress.getByName("127.0.0.1"));

        StepVerifier.create(
                        sender.send(new HttpSender.Request(endpoint, Map.of(), new byte[0], Duration.ofMillis(500))))
                .assertNext(response -> {
                    assertThat(response.status()).isNull();
                    assertThat(response.error()).isNotNull();
                    assertThat(dev.projectdashboard.pushservice.retry.RetryRules.classify(null, response.error()))
                            .isEqualTo(dev.projectdashboard.pushservice.retry.RetryDecision.RETRY);
                })
                .verifyComplete();
    }

    @Test
    void aClosedPortIsAConnectionErrorToRetry() throws Exception {
        int port = sink.port();
        sink.close();
        Endpoint endpoint =
                new Endpoint(URI.create("http://127.0.0.1:" + port + "/"), InetAddress.getByName("127.0.0.1"));

        StepVerifier.create(sender.send(new HttpSender.Request(endpoint, Map.of(), new byte[0], Duration.ofSeconds(2))))
                .assertNext(response -> assertThat(dev.projectdashboard.pushservice.retry.RetryRules.classify(
                                response.status(), response.error()))
                        .isEqualTo(dev.projectdashboard.pushservice.retry.RetryDecision.RETRY))
                .verifyComplete();
    }
}
