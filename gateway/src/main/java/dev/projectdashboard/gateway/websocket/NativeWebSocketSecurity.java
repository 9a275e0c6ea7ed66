package dev.projectdashboard.gateway.websocket;

import dev.projectdashboard.starter.security.DashboardAuthorization;
import dev.projectdashboard.starter.security.DashboardSecurityCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The native WebSocket route ({@code /project-dashboard/ws} without an {@code EIO} parameter) needs a valid user JWT at
 * the gateway, as {@code ?token=} ({@code dashboard.security.query-token-paths}) or a bearer header. Spring Cloud
 * Gateway upgrades the client before it connects upstream, so realtime-service's own 401 would only arrive after a 101:
 * a missing, forged or expired token is an HTTP 401 problem here, before any upgrade. Token-less connections pass only
 * when realtime-service admits them ({@link RealtimeAccessProperties}); a token that is sent is verified either way.
 * Socket.IO ({@code EIO}) sends its token after the upgrade, in its CONNECT packet: it stays open here and
 * realtime-service answers it.
 */
@Configuration(proxyBeanMethods = false)
class NativeWebSocketSecurity {

    static final String PATH = "/project-dashboard/ws";

    /** Engine.IO's query parameter: its presence routes {@code /project-dashboard/ws} to Socket.IO instead. */
    static final String ENGINE_IO_PARAMETER = "EIO";

    @Bean
    DashboardSecurityCustomizer nativeWebSocketNeedsAToken(RealtimeAccessProperties realtime) {
        ServerWebExchangeMatcher path = ServerWebExchangeMatchers.pathMatchers(PATH);
        ServerWebExchangeMatcher nativeWebSocket =
                exchange -> exchange.getRequest().getQueryParams().containsKey(ENGINE_IO_PARAMETER)
                        ? ServerWebExchangeMatcher.MatchResult.notMatch()
                        : path.matches(exchange);
        return exchanges -> {
            if (realtime.admitsTokenlessWebSocket()) {
                exchanges.matchers(nativeWebSocket).permitAll();
            } else {
                exchanges.matchers(nativeWebSocket).access(DashboardAuthorization.user());
            }
        };
    }
}
