package dev.projectdashboard.starter.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts what {@link EventLoopWatchdog} saw into the failure of a test that ran into a stuck thread, so a CI log's
 * one-line summary says which thread hung where instead of only "Timeout on blocking read". Registered for every
 * test of a module that has this test-jar (JUnit extension auto-detection, switched on in the root POM).
 */
public final class StuckThreadReport implements BeforeAllCallback, TestExecutionExceptionHandler {

    @Override
    public void beforeAll(ExtensionContext context) {
        EventLoopWatchdog.start();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String stuck = EventLoopWatchdog.diagnosis();
        if (stuck.isEmpty()) {
            throw failure;
        }
        // one line: the build's summary shows only the first line of a failure
        String message =
                "stuck threads: " + stuck + " -- " + String.valueOf(failure).replaceAll("\\s+", " ");
        AssertionError reported = new AssertionError(message, failure);
        reported.setStackTrace(failure.getStackTrace());
        throw reported;
    }
}
