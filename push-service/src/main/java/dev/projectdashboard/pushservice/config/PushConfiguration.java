package dev.projectdashboard.pushservice.config;

import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.pushservice.delivery.DeliveryAttempts;
import dev.projectdashboard.pushservice.delivery.DeliveryProperties;
import dev.projectdashboard.pushservice.delivery.DeliveryScheduler;
import dev.projectdashboard.pushservice.delivery.DeliveryStore;
import dev.projectdashboard.pushservice.delivery.EventIntake;
import dev.projectdashboard.pushservice.delivery.FileUrls;
import dev.projectdashboard.pushservice.delivery.HttpSender;
import dev.projectdashboard.pushservice.delivery.PushLogStore;
import dev.projectdashboard.pushservice.files.FileServiceUrls;
import dev.projectdashboard.pushservice.secret.SecretBox;
import dev.projectdashboard.pushservice.ssrf.AddressPolicy;
import dev.projectdashboard.pushservice.webhook.EndpointGuard;
import dev.projectdashboard.pushservice.webhook.WebhookProperties;
import dev.projectdashboard.pushservice.webhook.WebhookRegistry;
import dev.projectdashboard.starter.security.DashboardSecurityProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the delivery engine: its pieces are plain classes, constructed here from the settings. */
@Configuration(proxyBeanMethods = false)
class PushConfiguration {

    @Bean
    SecretBox secretBox(PushProperties properties) {
        return SecretBox.fromBase64(properties.encryptionKey());
    }

    @Bean
    EndpointGuard endpointGuard(PushProperties properties) {
        EndpointGuard.HostResolver system = EndpointGuard.HostResolver.system();
        EndpointGuard.HostResolver resolver = host -> {
            String fixed = properties.hosts().get(host);
            if (fixed == null) {
                return system.resolve(host);
            }
            try {
                return List.of(InetAddress.getByName(fixed));
            } catch (UnknownHostException notAnAddress) {
                throw new IllegalStateException("dashboard.push.hosts." + host + " must be an IP address");
            }
        };
        return new EndpointGuard(new AddressPolicy(properties.allowedPrivateNetworks()), resolver);
    }

    @Bean
    HttpSender httpSender(DeliveryProperties properties) {
        return new HttpSender(properties.maxConnections(), properties.maxIdleTime());
    }

    @Bean
    FileUrls fileUrls(PushProperties properties, DashboardSecurityProperties security) {
        return new FileServiceUrls(properties.fileServiceUrl(), security.apiKey(), properties.fileServiceTimeout());
    }

    @Bean
    DeliveryAttempts deliveryAttempts(
            WebhookRegistry registry,
            EndpointGuard guard,
            HttpSender sender,
            DeliveryStore store,
            PushLogStore logs,
            FileUrls files,
            EventPublisher events,
            DeliveryProperties properties,
            WebhookProperties webhooks,
            MeterRegistry meters,
            Clock clock) {
        if (properties.lease().compareTo(properties.endpointWait().plus(webhooks.maxTimeout())) <= 0) {
            // a delivery waiting its turn, then sent, would outlive its lease and another replica would send it too
            throw new IllegalStateException("dashboard.push.delivery.lease (" + properties.lease()
                    + ") must exceed dashboard.push.delivery.endpoint-wait (" + properties.endpointWait()
                    + ") plus the longest webhook timeout (" + webhooks.maxTimeout() + ")");
        }
        // a lease names its replica; a restarted replica is another one and takes over only what expired
        String owner = "push-" + UUID.randomUUID().toString().substring(0, 8);
        return new DeliveryAttempts(
                registry, guard, sender, store, logs, files, events, properties, meters, clock, owner);
    }

    @Bean
    EventIntake eventIntake(
            WebhookRegistry registry,
            DeliveryStore store,
            DeliveryAttempts attempts,
            DeliveryProperties properties,
            Clock clock) {
        return new EventIntake(registry, store, attempts, properties, clock);
    }

    @Bean
    DeliveryScheduler deliveryScheduler(
            DeliveryStore store,
            PushLogStore logs,
            DeliveryAttempts attempts,
            DeliveryProperties properties,
            MeterRegistry meters,
            Clock clock) {
        return new DeliveryScheduler(
                store, logs, attempts::attempt, attempts::unavailable, attempts.owner(), properties, meters, clock);
    }

    @Bean
    PushConsumers pushConsumers(EventStreams streams, EventIntake intake, PushProperties properties) {
        return new PushConsumers(streams, intake, properties.consumerGroup());
    }
}
