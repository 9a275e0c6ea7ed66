package dev.projectdashboard.starter.test;

import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;

/**
 * Closes a test's application context when the test failed, so that the tests after it, and surefire's rerun of
 * it, start from a fresh one: a failure can leave a context broken (a connection or event loop stuck, Redis
 * state half-restored), and a broken cached context makes every later test in the module fail for the same
 * reason, which hides the first failure among many. Registered for every Spring test of a module that has this
 * test-jar ({@code META-INF/spring.factories}).
 */
public final class FreshContextAfterFailure implements TestExecutionListener, Ordered {

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (testContext.getTestException() != null && testContext.hasApplicationContext()) {
            testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
            // a per-class test instance gets the new context's beans injected again
            testContext.setAttribute(DependencyInjectionTestExecutionListener.REINJECT_DEPENDENCIES_ATTRIBUTE, true);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
