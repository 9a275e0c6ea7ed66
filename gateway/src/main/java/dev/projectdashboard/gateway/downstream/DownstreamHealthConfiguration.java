package dev.projectdashboard.gateway.downstream;

import dev.projectdashboard.gateway.config.ServiceUrlsProperties;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Shows each service's readiness under the gateway's {@code downstream} health component. It is deliberately not
 * part of the gateway's readiness group: the gateway can route (and answer 503s) while a backend is down, and a
 * gateway that goes unready with its backends would take the whole public entry point out of a load balancer.
 */
@Configuration(proxyBeanMethods = false)
class DownstreamHealthConfiguration {

    /** Reported for a service that does not answer ready; ordered between DOWN and UP in application.yml. */
    static final Status UNREACHABLE = new Status("UNREACHABLE", "service is not ready or does not answer");

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Bean
    CompositeReactiveHealthContributor downstreamHealthContributor(ServiceUrlsProperties services) {
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
                .responseTimeout(TIMEOUT);
        WebClient webClient = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .build();
        Map<String, ReactiveHealthIndicator> indicators = new LinkedHashMap<>();
        services.byName().forEach((name, url) -> indicators.put(name, () -> readiness(webClient, url)));
        return CompositeReactiveHealthContributor.fromMap(indicators);
    }

    private static Mono<Health> readiness(WebClient webClient, URI baseUrl) {
        return webClient
                .get()
                .uri(baseUrl.resolve("/actuator/health/readiness"))
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(
                                response.statusCode().is2xxSuccessful()
                                        ? Health.up().build()
                                        : Health.status(UNREACHABLE)
                                                .withDetail(
                                                        "http_status",
                                                        response.statusCode().value())
                                                .build()))
                .timeout(TIMEOUT)
                .onErrorResume(error -> Mono.just(Health.status(UNREACHABLE)
                        .withDetail("error", error.getClass().getSimpleName())
                        .build()));
    }
}
