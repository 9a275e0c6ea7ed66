package dev.projectdashboard.devicebridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Bridges the cameras' MQTT upload protocol to file-service and the event streams. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeviceBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeviceBridgeApplication.class, args);
    }
}
