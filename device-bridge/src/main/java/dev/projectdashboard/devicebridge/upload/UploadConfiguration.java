package dev.projectdashboard.devicebridge.upload;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

    @Bean
    RequestQueue requestQueue(UploadProperties properties, MeterRegistry meters) {
        return new RequestQueue(
                properties.queue().capacity(), properties.queue().concurrency(), Schedulers.parallel(), meters);
    }
}
