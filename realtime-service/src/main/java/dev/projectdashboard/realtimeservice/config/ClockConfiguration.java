package dev.projectdashboard.realtimeservice.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one wall clock of the service: event times, frame timestamps, heartbeats, presence deadlines and token expiry
 * read it. Intervals measured on one replica use {@link System#nanoTime} instead, which never jumps.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
