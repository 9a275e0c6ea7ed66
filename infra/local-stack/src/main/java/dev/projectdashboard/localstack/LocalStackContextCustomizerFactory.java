package dev.projectdashboard.localstack;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}: a Spring test class annotated with {@link LocalStackTest} gets
 * the stack's connection settings in its environment, the way Spring Boot's {@code @ServiceConnection} hands a
 * container's settings to a context, so no test writes them out by hand.
 */
final class LocalStackContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, LocalStackTest.class)
                ? new LocalStackContextCustomizer()
                : null;
    }
}
