package dev.projectdashboard.starter.test;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts what {@link EventLoopWatchdog} saw into the failure of a test that ran into a stuck thread, so a CI log's
 * one-line summary says which thread hung where instead of only "Timeout on blocking read"; a test that timed out
 * while no thread was stuck says so too ({@code stuck threads: none …}). Registered for every
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
            if (!timedOut(failure)) {
                throw failure;
            }
            // worth knowing too: nothing was blocked or spinning while the test waited
            stuck = "none for " + EventLoopWatchdog.STUCK_AFTER_SECONDS + " s or more";
        }
        // one line: the build's summary shows only the first line of a failure
        String message =
                "stuck threads: " + stuck + " -- " + String.valueOf(failure).replaceAll("\\s+", " ");
        AssertionError reported = new AssertionError(message, failure);
        reported.setStackTrace(failure.getStackTrace());
        throw reported;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().equals("ConditionTimeoutException")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
