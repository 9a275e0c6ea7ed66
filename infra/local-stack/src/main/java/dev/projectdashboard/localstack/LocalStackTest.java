package dev.projectdashboard.localstack;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the shared {@link LocalStack} of the test JVM. In a Spring test the context also gets
 * the stack's connection settings ({@link LocalStack#environment()}: REDIS_URL, POSTGRES_*, MQTT_*, S3_*) without a
 * {@code @DynamicPropertySource}; a test's own properties still win.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalStackExtension.class)
public @interface LocalStackTest {}
