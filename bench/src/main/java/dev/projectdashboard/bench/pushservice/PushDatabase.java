package dev.projectdashboard.bench.pushservice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads push-service's deliveries ({@code push.delivery}) after a step, outside the measured windows: how many of a
 * step's deliveries to the healthy sinks did not go out straight from the intake (given back because their endpoint's
 * bulkhead was full, or retried) and so waited for the scheduler, and how many deliveries to the dead sink are
 * pending.
 */
final class PushDatabase implements AutoCloseable {

    /** A step's deliveries as push-service stored them. */
    record Counts(long healthy, long healthyRescheduled, long healthyRetried, long deadPending) {}

    private final Connection connection;

    PushDatabase(String jdbcUrl, String user, String password) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * @param healthyWebhooks ids of the healthy sinks' webhooks
     * @param deadWebhook id of the dead sink's webhook, null when none is registered
     */
    Counts counts(int step, List<String> healthyWebhooks, String deadWebhook) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select"
                + " count(*) filter (where webhook_id::text = any(?)),"
                // stored with next_attempt_at = created_at; a later one was given back (postponed) or retried
                + " count(*) filter (where webhook_id::text = any(?) and next_attempt_at > created_at),"
                + " count(*) filter (where webhook_id::text = any(?) and attempts > 1),"
                + " count(*) filter (where webhook_id::text = ? and status = 'PENDING')"
                + " from push.delivery where task_id like ?")) {
            String[] healthy = healthyWebhooks.toArray(String[]::new);
            query.setArray(1, connection.createArrayOf("text", healthy));
            query.setArray(2, connection.createArrayOf("text", healthy));
            query.setArray(3, connection.createArrayOf("text", healthy));
            query.setString(4, deadWebhook == null ? "" : deadWebhook);
            query.setString(5, TaskIds.PREFIX.replace("_", "\\_") + step + "\\_%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new Counts(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
            }
        }
    }

    /** Deliveries to {@code webhook} still pending, every step. */
    long pending(String webhook) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select count(*) from push.delivery where webhook_id::text = ? and status = 'PENDING'")) {
            query.setString(1, webhook);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
