package dev.projectdashboard.starter.test;

import dev.projectdashboard.starter.DevDefaults;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Pins a Spring test context's JWT secret and API key to the development values, whatever the machine's
 * environment says, so {@link dev.projectdashboard.starter.security.DevTokens} mints tokens the context accepts and
 * {@link DevDefaults#API_KEY} opens the API-key endpoints.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(
        properties = {
            "dashboard.security.jwt-secret=" + DevDefaults.JWT_SECRET,
            "dashboard.security.api-key=" + DevDefaults.API_KEY
        })
public @interface DevelopmentSecrets {}
