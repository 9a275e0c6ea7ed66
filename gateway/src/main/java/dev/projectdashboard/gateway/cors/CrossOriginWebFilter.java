package dev.projectdashboard.gateway.cors;

import dev.projectdashboard.gateway.forwarded.ClientAddresses;
import dev.projectdashboard.starter.problem.ProblemException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS at the edge, before security (a preflight carries no token): a preflight from an allowed origin is answered
 * here, a request from one gets the CORS headers, and any other cross-origin request or preflight is a 403 problem.
 * Spring's processor judges cross-origin by the URL the gateway sees; behind a proxy terminating TLS that is not the
 * URL the browser used, so the same-origin check here reads it from the trusted proxies' {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} first: the dashboard's own page never needs to be listed.
 */
@Component
class CrossOriginWebFilter implements WebFilter, Ordered {

    /** After the security headers, before Spring Security's chain (-100). */
    static final int ORDER = -300;

    private final CorsConfiguration configuration;
    private final CorsProcessor processor = new DefaultCorsProcessor();
    private final ClientAddresses addresses;

    CrossOriginWebFilter(CorsProperties properties, ClientAddresses addresses) {
        this.addresses = addresses;
        this.configuration = new CorsConfiguration();
        configuration.setAllowedOriginPatterns(properties.allowedOrigins());
        configuration.setAllowedMethods(properties.allowedMethods());
        configuration.setAllowedHeaders(properties.allowedHeaders());
        configuration.setExposedHeaders(properties.exposedHeaders());
        configuration.setMaxAge(properties.maxAge());
        // bearer tokens, no cookies: a cross-origin page never needs the browser's credentials
        configuration.setAllowCredentials(false);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String origin = request.getHeaders().getOrigin();
        if (origin == null || isSameOrigin(origin, request)) {
            return chain.filter(exchange);
        }
        if (!processor.process(configuration, exchange)) {
            return Mono.error(
                    new ProblemException(HttpStatus.FORBIDDEN, "Requests from this origin are not allowed here."));
        }
        if (CorsUtils.isPreFlightRequest(request)) {
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return Mono.empty();
        }
        return chain.filter(exchange);
    }

    private boolean isSameOrigin(String origin, ServerHttpRequest request) {
        int schemeEnd = origin.indexOf("://");
        if (schemeEnd < 0) {
            // "null" (a sandboxed or file page) or garbage: never the gateway's own origin
            return false;
        }
        String browser = ClientAddresses.origin(origin.substring(0, schemeEnd), origin.substring(schemeEnd + 3));
        return browser.equals(addresses.requestOrigin(request));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
