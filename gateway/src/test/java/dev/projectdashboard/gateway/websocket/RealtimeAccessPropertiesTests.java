package dev.projectdashboard.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The gateway reads realtime-service's environment variables with realtime-service's meaning. */
class RealtimeAccessPropertiesTests {

    @Test
    void admitsTokenlessWebSocketsWhenPublicProjectsAreListed() {
        assertThat(fromEnvironment(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", "*"))
                        .admitsTokenlessWebSocket())
                .isTrue();
        assertThat(fromEnvironment(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", "demo,smoke"))
                        .publicAccess()
                        .projects())
                .containsExactly("demo", "smoke");
    }

    @Test
    void admitsTokenlessWebSocketsWhenAnonymousConnectionsAreAllowed() {
        assertThat(fromEnvironment(Map.of("DASHBOARD_REALTIME_CONNECTIONS_ALLOW_ANONYMOUS", "true"))
                        .admitsTokenlessWebSocket())
                .isTrue();
    }

    @Test
    void needsATokenByDefaultAndWhenTheListIsEmpty() {
        assertThat(fromEnvironment(Map.of()).admitsTokenlessWebSocket()).isFalse();
        assertThat(fromEnvironment(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", ""))
                        .admitsTokenlessWebSocket())
                .isFalse();
    }

    private static RealtimeAccessProperties fromEnvironment(Map<String, Object> variables) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("dashboard.realtime", RealtimeAccessProperties.class);
    }
}
