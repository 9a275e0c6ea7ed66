package dev.projectdashboard.starter.startup;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The one start-up line every service prints when it is ready. */
@AutoConfiguration
@EnableConfigurationProperties(DashboardUpstreamsProperties.class)
public class ReadyLogAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ReadyLogger dashboardReadyLogger(Environment environment, DashboardUpstreamsProperties properties) {
        return new ReadyLogger(environment, properties);
    }
}
