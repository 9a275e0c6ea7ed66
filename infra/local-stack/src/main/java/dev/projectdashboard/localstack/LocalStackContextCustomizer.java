package dev.projectdashboard.localstack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Puts {@link LocalStack#environment()} (REDIS_URL, POSTGRES_*, MQTT_*, S3_*) into a test context's environment,
 * above the machine's environment variables and the application's files, so a test never talks to a server the
 * machine happens to name; below the test's own {@code @SpringBootTest(properties)}, {@code @TestPropertySource}
 * and {@code @DynamicPropertySource} values, so a test can still point one setting elsewhere.
 *
 * <p>Every instance is equal: the stack is one per JVM, so test classes that differ only by this customizer share
 * a cached context.
 */
final class LocalStackContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "localStack";

    /** The test's own property sources, which stay above the stack's. */
    private static final List<String> TEST_SOURCES =
            List.of("Dynamic Test Properties", TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME);

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        Map<String, Object> settings =
                new LinkedHashMap<>(LocalStackExtension.localStack().environment());
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, settings);
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        String lowestTestSource = null;
        for (String name : TEST_SOURCES) {
            if (sources.contains(name)
                    && (lowestTestSource == null
                            || sources.precedenceOf(sources.get(name))
                                    > sources.precedenceOf(sources.get(lowestTestSource)))) {
                lowestTestSource = name;
            }
        }
        if (lowestTestSource == null) {
            sources.addFirst(source);
        } else {
            sources.addAfter(lowestTestSource, source);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocalStackContextCustomizer;
    }

    @Override
    public int hashCode() {
        return LocalStackContextCustomizer.class.hashCode();
    }
}
