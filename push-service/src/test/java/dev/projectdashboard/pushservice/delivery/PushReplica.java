package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.pushservice.PushServiceApplication;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A push-service replica in this JVM on the local stack, started and stopped by the test. */
final class PushReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private PushReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static PushReplica start(Map<String, String> overrides) {
        Map<String, Object> environment =
                new LinkedHashMap<>(LocalStackExtension.localStack().environment());
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("server.port", "0");
        arguments.put("dashboard.push.delivery.poll-interval", "200ms");
        arguments.put("dashboard.push.webhooks.cache-ttl", "200ms");
        arguments.putAll(overrides);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PushServiceApplication.class)
                .properties(environment)
                .run(arguments.entrySet().stream()
                        .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
        return new PushReplica(context);
    }

    WebTestClient client() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
