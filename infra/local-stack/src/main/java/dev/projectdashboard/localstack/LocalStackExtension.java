package dev.projectdashboard.localstack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one infrastructure fixture of the suite's tests: a {@link LocalStack} on free ports, started once per test
 * JVM on first use and stopped when the JVM exits. Test classes get it with {@link LocalStackTest @LocalStackTest}
 * and a {@code LocalStack} parameter, or from {@link #localStack()} (e.g. in a {@code @DynamicPropertySource}).
 *
 * <p>Not stopped when a JUnit run ends: surefire reruns a failed test in a second run in the same JVM, where the
 * Spring contexts cached by the first run (their Redis, PostgreSQL and S3 addresses included) are used again. A
 * stack restarted on new ports for the second run left every rerun talking to servers that were gone.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(LocalStackExtension.class);

    private static LocalStack shared;
    private static RuntimeException startFailure;
    private static boolean shutdownHookRegistered;

    /** The stack of this test JVM, started on the first call. */
    public static synchronized LocalStack localStack() {
        if (startFailure != null) {
            // every test class would otherwise spend the start-up time failing the same way again
            throw new IllegalStateException("the local stack failed to start earlier in this JVM", startFailure);
        }
        if (shared == null || shared.isClosed()) {
            if (!shutdownHookRegistered) {
                // the servers must not outlive the tests
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(LocalStackExtension::stopShared, "local-stack-shutdown"));
                shutdownHookRegistered = true;
            }
            shared = startWithOneRetry();
        }
        return shared;
    }

    private static LocalStack startWithOneRetry() {
        try {
            return LocalStack.start(LocalStackSettings.randomPorts());
        } catch (RuntimeException first) {
            // a free port found at random can be taken by another process before the server binds it
            log.warn("local stack failed to start, retrying once on other ports: {}", first.getMessage());
            try {
                return LocalStack.start(LocalStackSettings.randomPorts());
            } catch (RuntimeException second) {
                second.addSuppressed(first);
                startFailure = second;
                throw second;
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        localStack();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return localStack();
    }

    private static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
