package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.starter.security.DashboardAuthorization;
import dev.projectdashboard.starter.security.DashboardSecurityCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server API is for backends ({@code X-Api-Key}) and administrators (admin JWT), never for plain users. */
@Configuration(proxyBeanMethods = false)
class RealtimeApiSecurity {

    @Bean
    DashboardSecurityCustomizer realtimeServerApiRules() {
        return exchanges -> exchanges
                .pathMatchers(RealtimeApiController.BASE + "/**")
                .access(DashboardAuthorization.serviceOrAdmin());
    }
}
