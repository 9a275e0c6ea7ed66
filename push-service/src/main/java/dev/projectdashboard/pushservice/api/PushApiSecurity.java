package dev.projectdashboard.pushservice.api;

import dev.projectdashboard.starter.security.DashboardAuthorization;
import dev.projectdashboard.starter.security.DashboardSecurityCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Webhook registrations, push logs and the dead-letter queue are for administrators. */
@Configuration(proxyBeanMethods = false)
class PushApiSecurity {

    @Bean
    DashboardSecurityCustomizer pushApiRules() {
        return exchanges -> exchanges
                .pathMatchers(WebhookController.BASE, WebhookController.BASE + "/**", PushController.BASE + "/**")
                .access(DashboardAuthorization.admin());
    }
}
