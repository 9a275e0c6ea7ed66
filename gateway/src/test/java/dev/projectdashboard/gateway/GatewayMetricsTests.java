package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The edge's own series are on /actuator/prometheus from start-up, before anything was refused, so that alerts and
 * dashboards see 0 rather than nothing: rate-limit and size-limit refusals per route, and each service's breaker.
 */
class GatewayMetricsTests extends StubbedGatewayTests {

    @Test
    void showsEveryRoutesRefusalCountersFromTheStart() {
        assertThat(series("gateway_rate_limit_rejections_total", "route=\"file-service\"", "limit=\"user\""))
                .isTrue();
        assertThat(series(
                        "gateway_rate_limit_rejections_total",
                        "route=\"deploy-notifier-webhooks\"",
                        "limit=\"webhook\""))
                .isTrue();
        assertThat(series("gateway_rate_limit_unchecked_total", "route=\"realtime-ws\""))
                .isTrue();
        assertThat(series("gateway_request_size_rejections_total", "route=\"file-service\"", "limit=\"upload\""))
                .isTrue();
        assertThat(series("gateway_request_size_rejections_total", "route=\"push-service\"", "limit=\"api\""))
                .isTrue();
    }

    @Test
    void showsEachServicesBreakerState() {
        for (String service :
                new String[] {"file-service", "realtime-service", "device-bridge", "push-service", "deploy-notifier"}) {
            assertThat(metric("resilience4j_circuitbreaker_state", "name=\"" + service + "\"", "state=\"closed\""))
                    .as(service)
                    .isEqualTo(1.0);
        }
    }

    private boolean series(String name, String... labels) {
        return scrape().lines()
                .anyMatch(line ->
                        line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains));
    }
}
