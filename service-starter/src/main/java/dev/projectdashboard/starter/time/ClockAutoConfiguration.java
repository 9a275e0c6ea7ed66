package dev.projectdashboard.starter.time;

import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The one {@link Clock} of a service (UTC): code that decides by time injects it, so a test can replace it with a
 * fixed or stepping clock instead of waiting. A service that declares its own {@code Clock} bean keeps it.
 */
@AutoConfiguration
public class ClockAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock dashboardClock() {
        return Clock.systemUTC();
    }
}
