package dev.projectdashboard.deploynotifier;

import dev.projectdashboard.deploynotifier.deployment.DeploymentEvents;
import dev.projectdashboard.deploynotifier.ingest.WebhookIngest;
import dev.projectdashboard.deploynotifier.ingest.WebhookProperties;
import dev.projectdashboard.deploynotifier.outbox.EventRelay;
import dev.projectdashboard.deploynotifier.outbox.OutboxStore;
import dev.projectdashboard.deploynotifier.outbox.RelayProperties;
import dev.projectdashboard.deploynotifier.store.DeploymentStore;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class DeployNotifierConfiguration {

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
        return TransactionalOperator.create(transactions);
    }

    @Bean
    DeploymentEvents deploymentEvents(EventCodec codec, Clock clock) {
        return new DeploymentEvents(codec, clock);
    }

    @Bean
    EventRelay eventRelay(
            OutboxStore store,
            EventPublisher publisher,
            EventCodec codec,
            RelayProperties properties,
            MeterRegistry meters,
            Clock clock) {
        return new EventRelay(store, publisher, codec, properties, meters, clock);
    }

    @Bean
    WebhookIngest webhookIngest(
            WebhookProperties properties,
            DeploymentEvents events,
            DeploymentStore store,
            EventRelay relay,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock) {
        return new WebhookIngest(properties, events, store, relay, json, meters, clock);
    }
}
