package dev.projectdashboard.deploynotifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Receives CI deployment webhooks, keeps deployment history and publishes deployment events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeployNotifierApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeployNotifierApplication.class, args);
    }
}
