package dev.projectdashboard.starter.environment;

import dev.projectdashboard.starter.DevDefaults;
import java.util.List;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.StringUtils;

/** Finds which development defaults are in effect in a resolved environment. */
public final class DevDefaultsInspector {

    private DevDefaultsInspector() {}

    /**
     * Env vars whose setting currently resolves to its development value (or is missing altogether).
     *
     * @param properties the resolved environment
     * @return env var names, in the order of {@link DevDefaults#SETTINGS}
     */
    public static List<String> settingsInEffect(PropertyResolver properties) {
        boolean jwksMode = StringUtils.hasText(properties.getProperty("dashboard.security.jwks-uri"));
        return DevDefaults.SETTINGS.stream()
                // with a JWKS the HS256 secret is never used, so its dev value is harmless
                .filter(setting -> !(jwksMode && setting.envVar().equals(DevDefaults.JWT_SECRET_ENV)))
                .filter(setting -> {
                    String value = properties.getProperty(setting.property(), setting.placeholder());
                    return setting.devValue().equals(properties.resolvePlaceholders(value));
                })
                .map(DevDefaults.Setting::envVar)
                .toList();
    }
}
