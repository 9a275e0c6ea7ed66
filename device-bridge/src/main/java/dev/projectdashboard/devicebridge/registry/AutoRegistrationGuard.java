package dev.projectdashboard.devicebridge.registry;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/** The {@code prod} profile refuses auto-registration: any client could then make itself a device. */
@Component
class AutoRegistrationGuard implements InitializingBean {

    private final RegistryProperties properties;
    private final Environment environment;

    AutoRegistrationGuard(RegistryProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        if (properties.autoRegister() && environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException(
                    "dashboard.devices.auto-register (DEVICES_AUTO_REGISTER) must be false under the prod profile");
        }
    }
}
