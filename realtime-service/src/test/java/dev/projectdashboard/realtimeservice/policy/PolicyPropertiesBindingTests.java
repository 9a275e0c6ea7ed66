package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** The policy settings bind from the environment variable names the docs give, with the documented defaults. */
class PolicyPropertiesBindingTests {

    private static Binder binder(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        // under the standard name: Boot maps env var names (DASHBOARD_REALTIME_…) only for that source
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return Binder.get(environment);
    }

    @Test
    void defaultsWithoutAnySetting() {
        Binder binder = binder(Map.of());
        SubscribeProxyProperties proxy =
                binder.bindOrCreate("dashboard.realtime.proxy", SubscribeProxyProperties.class);
        assertThat(proxy.subscribe()).isEmpty();
        assertThat(proxy.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(proxy.allowTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(proxy.denyTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(proxy.cacheSize()).isEqualTo(10_000);

        ClientPublishProperties publish =
                binder.bindOrCreate("dashboard.realtime.client-publish", ClientPublishProperties.class);
        assertThat(publish.namespaces()).isEmpty();
        assertThat(publish.ratePerSecond()).isEqualTo(5);
        assertThat(publish.burst()).isEqualTo(10);
        assertThat(publish.maxDataSize()).isEqualTo(DataSize.ofKilobytes(4));

        PublicAccessProperties open = binder.bindOrCreate("dashboard.realtime.public", PublicAccessProperties.class);
        assertThat(open.enabled()).isFalse();
        assertThat(open.clientAddressHeader()).isEqualTo("X-Forwarded-For");
    }

    @Test
    void publicProjectsBindFromTheirEnvironmentVariable() {
        PublicAccessProperties open = binder(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", "axi-star-cloud,demo"))
                .bindOrCreate("dashboard.realtime.public", PublicAccessProperties.class);
        assertThat(open.projects()).containsExactly("axi-star-cloud", "demo");
        assertThat(open.allows("demo")).isTrue();
        assertThat(open.allows("other")).isFalse();

        PublicAccessProperties all = binder(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", "*"))
                .bindOrCreate("dashboard.realtime.public", PublicAccessProperties.class);
        assertThat(all.allows("anything")).isTrue();
    }

    @Test
    void aPublicProjectThatIsNoProjectNameNamesTheProperty() {
        Binder binder = binder(Map.of("DASHBOARD_REALTIME_PUBLIC_PROJECTS", "ok,not a name"));
        assertThatThrownBy(() -> binder.bindOrCreate("dashboard.realtime.public", PublicAccessProperties.class))
                .rootCause()
                .hasMessageContaining("dashboard.realtime.public.projects");
    }

    @Test
    void bindsFromEnvironmentVariables() {
        Binder binder = binder(Map.of(
                "DASHBOARD_REALTIME_PROXY_SUBSCRIBE_TASK", "http://tasks:8080/realtime/subscribe",
                "DASHBOARD_REALTIME_PROXY_TIMEOUT", "250ms",
                "DASHBOARD_REALTIME_PROXY_DENYTTL", "2s",
                "DASHBOARD_REALTIME_CLIENTPUBLISH_NAMESPACES", "chat,typing",
                "DASHBOARD_REALTIME_CLIENTPUBLISH_RATEPERSECOND", "2.5"));
        SubscribeProxyProperties proxy =
                binder.bindOrCreate("dashboard.realtime.proxy", SubscribeProxyProperties.class);
        assertThat(proxy.subscribe()).containsEntry("task", URI.create("http://tasks:8080/realtime/subscribe"));
        assertThat(proxy.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(proxy.denyTtl()).isEqualTo(Duration.ofSeconds(2));

        ClientPublishProperties publish =
                binder.bindOrCreate("dashboard.realtime.client-publish", ClientPublishProperties.class);
        assertThat(publish.namespaces()).isEqualTo(List.of("chat", "typing"));
        assertThat(publish.ratePerSecond()).isEqualTo(2.5);
    }

    @Test
    void badSettingNamesTheProperty() {
        Binder binder = binder(Map.of("DASHBOARD_REALTIME_PROXY_SUBSCRIBE_USER", "http://x/y"));
        assertThatThrownBy(() -> binder.bindOrCreate("dashboard.realtime.proxy", SubscribeProxyProperties.class))
                .rootCause()
                .hasMessageContaining("dashboard.realtime.proxy.subscribe.user");
    }
}
