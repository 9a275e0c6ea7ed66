package dev.projectdashboard.gateway.headers;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Security headers on every answer, set as it is committed (after a service's own headers were copied): the page and
 * its assets get the page's {@code Content-Security-Policy}; every answer gets {@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY} and {@code Referrer-Policy: no-referrer}, and API answers without a policy of their own
 * a policy that allows nothing. Runs before security and CORS, so their refusals carry the headers too.
 */
@Component
class SecurityHeadersWebFilter implements WebFilter, Ordered {

    /** Ahead of the CORS filter and Spring Security's chain (-100). */
    static final int ORDER = -400;

    static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String X_FRAME_OPTIONS = "X-Frame-Options";
    static final String REFERRER_POLICY = "Referrer-Policy";

    private static final List<PathPattern> PAGE = List.of(
            PathPatternParser.defaultInstance.parse("/project-dashboard"),
            PathPatternParser.defaultInstance.parse("/project-dashboard/"),
            PathPatternParser.defaultInstance.parse("/project-dashboard/index.html"),
            PathPatternParser.defaultInstance.parse("/project-dashboard/assets/**"));

    private final SecurityHeadersProperties properties;

    SecurityHeadersWebFilter(SecurityHeadersProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        boolean page = PAGE.stream().anyMatch(pattern -> pattern.matches(path));
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set(X_CONTENT_TYPE_OPTIONS, "nosniff");
            headers.set(X_FRAME_OPTIONS, "DENY");
            headers.set(REFERRER_POLICY, "no-referrer");
            if (page) {
                headers.set(CONTENT_SECURITY_POLICY, properties.pageContentSecurityPolicy());
            } else if (!headers.containsHeader(CONTENT_SECURITY_POLICY)) {
                headers.set(CONTENT_SECURITY_POLICY, properties.apiContentSecurityPolicy());
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
