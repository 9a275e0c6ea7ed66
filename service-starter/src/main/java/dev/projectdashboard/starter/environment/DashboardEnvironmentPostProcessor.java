package dev.projectdashboard.starter.environment;

import dev.projectdashboard.starter.DevDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Contributes the suite's defaults as the lowest-precedence property source, so a service overrides any of
 * them by setting the property, and stops the {@code prod} profile from starting on development secrets.
 *
 * <p>Runs after config data so the active profiles and every property source are known.
 */
public class DashboardEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding the defaults. */
    public static final String PROPERTY_SOURCE_NAME = "dashboardStarterDefaults";

    /** Role that sees health details; Boot prefixes it with {@code ROLE_}. */
    static final String ADMIN_ROLE = "ADMIN";

    /** The profile that must not run with development defaults. */
    public static final String PROD_PROFILE = "prod";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults()));
        }
        if (environment.matchesProfiles(PROD_PROFILE)) {
            List<String> offending = DevDefaultsInspector.settingsInEffect(environment);
            if (!offending.isEmpty()) {
                throw new StartupRefusedException(
                        "The '" + PROD_PROFILE + "' profile refuses to start while development defaults are in"
                                + " effect for: " + String.join(", ", offending),
                        "Set these environment variables to production values: " + String.join(", ", offending)
                                + " (see dev.projectdashboard.starter.DevDefaults for what each one is).");
            }
        }
    }

    @Override
    public int getOrder() {
        // after ConfigDataEnvironmentPostProcessor, which activates profiles from application.yml
        return Ordered.LOWEST_PRECEDENCE - 10;
    }

    /** The defaults every service starts from. */
    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        DevDefaults.SETTINGS.forEach(setting -> defaults.put(setting.property(), setting.placeholder()));
        defaults.put("dashboard.security.jwks-uri", "${" + DevDefaults.JWKS_URI_ENV + ":}");

        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        // anyone sees which dependency is down (readiness components); only admins see the details, which name
        // hosts, ports, versions and paths of the internal topology
        defaults.put("management.endpoint.health.show-details", "when-authorized");
        // Boot checks the authority ROLE_ADMIN, which a JWT with the admin role carries (DashboardAuthorization)
        defaults.put("management.endpoint.health.roles", ADMIN_ROLE);
        defaults.put("management.endpoint.health.group.readiness.show-components", "always");
        defaults.put("management.endpoint.health.group.readiness.show-details", "when-authorized");
        defaults.put("management.endpoint.health.group.readiness.roles", ADMIN_ROLE);
        defaults.put("management.metrics.tags.application", "${spring.application.name:application}");
        // Spring Security observes every filter of its chain plus each authentication and authorization: 3.5 % of
        // deploy-notifier's CPU samples under webhook load, for timers no dashboard reads (http.server.requests
        // already times every request)
        defaults.put("management.observations.enable.spring.security", "false");

        defaults.put("spring.webflux.problemdetails.enabled", "true");
        // Boot's own error handler is only a fallback behind ours; it must not leak either
        defaults.put("spring.web.error.include-stacktrace", "never");
        defaults.put("spring.web.error.include-message", "never");
        defaults.put("spring.web.error.include-exception", "false");

        // a keep-alive connection that sends no next request is closed; dashboard.server.read-timeout covers a body
        // that stalls (ServerTimeoutsAutoConfiguration). Neither applies to an upgraded WebSocket.
        defaults.put("server.netty.idle-timeout", "60s");
        defaults.put("server.shutdown", "graceful");
        defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "20s");
        return defaults;
    }
}
