package dev.projectdashboard.pushservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Delivers events to registered downstream webhooks, with retries and a dead-letter queue. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PushServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PushServiceApplication.class, args);
    }
}
