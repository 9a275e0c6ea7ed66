package dev.projectdashboard.realtimeservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Fans events from the Redis streams out to browsers over WebSocket and Socket.IO. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RealtimeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RealtimeServiceApplication.class, args);
    }
}
