package dev.projectdashboard.e2e.suite;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the suite once per test run: it lives in the root context's store, which closes it (stopping every process)
 * when the run ends. Starting it costs most of this module's time, so no class gets a suite of its own, and a start
 * that failed is not tried again by every class: each fails at once with the first attempt's error.
 */
final class SuiteExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SuiteExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningSuite.class;
    }

    @Override
    public RunningSuite resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Attempt.class, key -> Attempt.start(), Attempt.class)
                .suite();
    }

    /** The one start of this run: its suite, or why there is none. */
    private static final class Attempt implements AutoCloseable {

        private final LaunchedSuite launched;
        private final RuntimeException failure;

        private Attempt(LaunchedSuite launched, RuntimeException failure) {
            this.launched = launched;
            this.failure = failure;
        }

        static Attempt start() {
            try {
                return new Attempt(LaunchedSuite.start(), null);
            } catch (RuntimeException e) {
                return new Attempt(null, e);
            }
        }

        RunningSuite suite() {
            if (failure != null) {
                throw new IllegalStateException("The suite could not be started for this run", failure);
            }
            return launched.suite();
        }

        @Override
        public void close() {
            if (launched != null) {
                launched.close();
            }
        }
    }
}
