package dev.projectdashboard.pushservice.store;

import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Statements that lock many delivery rows at once (a batch of outcomes or give-backs, a webhook's delete cascading to
 * its deliveries) can each wait for the other; PostgreSQL then aborts one transaction with a deadlock or
 * serialization failure. Its work was rolled back whole, so running it again is safe.
 */
final class Deadlocks {

    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";

    private Deadlocks() {}

    /** Runs the transaction again, a few times, when PostgreSQL aborted it to break a deadlock. */
    static RetryBackoffSpec retry() {
        return Retry.backoff(5, Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .filter(Deadlocks::aborted);
    }

    static boolean aborted(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException r2dbc
                    && (DEADLOCK.equals(r2dbc.getSqlState()) || SERIALIZATION_FAILURE.equals(r2dbc.getSqlState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
