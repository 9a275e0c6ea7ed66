package dev.projectdashboard.starter.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the user JWT from the {@code Authorization: Bearer} header, or, on the configured WebSocket upgrade
 * paths only, from a {@code ?token=} query parameter (browsers cannot set headers on a WebSocket
 * handshake; elsewhere a token in a URL would end up in logs and histories).
 */
public class DashboardBearerTokenConverter implements ServerAuthenticationConverter {

    /** Query parameter carrying the token on WebSocket upgrade paths. */
    public static final String QUERY_PARAMETER = "token";

    private final ServerBearerTokenAuthenticationConverter headerConverter =
            new ServerBearerTokenAuthenticationConverter();
    private final ServerWebExchangeMatcher queryTokenPaths;
    private final ServerWebExchangeMatcher selfAuthenticatedPaths;

    public DashboardBearerTokenConverter(ServerWebExchangeMatcher queryTokenPaths) {
        this(queryTokenPaths, exchange -> ServerWebExchangeMatcher.MatchResult.notMatch());
    }

    /** @param selfAuthenticatedPaths where a bearer token is the endpoint's own business, never a user JWT */
    public DashboardBearerTokenConverter(
            ServerWebExchangeMatcher queryTokenPaths, ServerWebExchangeMatcher selfAuthenticatedPaths) {
        this.queryTokenPaths = queryTokenPaths;
        this.selfAuthenticatedPaths = selfAuthenticatedPaths;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        return selfAuthenticatedPaths
                .matches(exchange)
                .flatMap(match -> match.isMatch()
                        ? Mono.empty()
                        : headerConverter.convert(exchange).switchIfEmpty(Mono.defer(() -> queryToken(exchange))));
    }

    private Mono<Authentication> queryToken(ServerWebExchange exchange) {
        String token = exchange.getRequest().getQueryParams().getFirst(QUERY_PARAMETER);
        if (!StringUtils.hasText(token)) {
            return Mono.empty();
        }
        return queryTokenPaths
                .matches(exchange)
                .filter(ServerWebExchangeMatcher.MatchResult::isMatch)
                .map(match -> new BearerTokenAuthenticationToken(token));
    }
}
