package dev.projectdashboard.bench.pushservice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads push-service's deliveries ({@code push.delivery}) after a step, outside the measured windows: how many of a
 * step's deliveries to the healthy sinks did not go out straight from the intake (given back because their endpoint's
 * bulkhead was full, or retried) and so waited for the scheduler, how many are still pending, and how far behind the
 * scheduler is.
 */
final class PushDatabase implements AutoCloseable {

    /**
     * A step's deliveries as push-service stored them, read after the step's wait.
     *
     * @param healthyPending of the rescheduled ones, those still pending
     * @param overdue pending deliveries of any step and webhook due over a second ago and not leased: the
     *     scheduler's backlog
     * @param oldestOverdueSeconds how long the oldest of those has been due
     */
    record Counts(
            long healthy,
            long healthyRescheduled,
            long healthyRetried,
            long healthyPending,
            long overdue,
            double oldestOverdueSeconds) {}

    private final Connection connection;

    PushDatabase(String jdbcUrl, String user, String password) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * @param healthyWebhooks ids of the healthy sinks' webhooks
     */
    Counts counts(int step, List<String> healthyWebhooks) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select"
                + " count(*) filter (where webhook_id::text = any(?)),"
                // stored with next_attempt_at = created_at; a later one was given back (postponed) or retried
                + " count(*) filter (where webhook_id::text = any(?) and next_attempt_at > created_at),"
                + " count(*) filter (where webhook_id::text = any(?) and attempts > 1),"
                // given back and not sent since (one whose answer is being stored right now is not counted)
                + " count(*) filter (where webhook_id::text = any(?) and status = 'PENDING'"
                + " and next_attempt_at > created_at)"
                + " from push.delivery where task_id like ?")) {
            String[] healthy = healthyWebhooks.toArray(String[]::new);
            query.setArray(1, connection.createArrayOf("text", healthy));
            query.setArray(2, connection.createArrayOf("text", healthy));
            query.setArray(3, connection.createArrayOf("text", healthy));
            query.setArray(4, connection.createArrayOf("text", healthy));
            query.setString(5, TaskIds.PREFIX.replace("_", "\\_") + step + "\\_%");
            try (ResultSet rows = query.executeQuery();
                    PreparedStatement backlog = connection.prepareStatement("select count(*),"
                            + " coalesce(extract(epoch from now() - min(next_attempt_at)), 0) from push.delivery"
                            + " where status = 'PENDING' and next_attempt_at < now() - interval '1 second'"
                            + " and (lease_until is null or lease_until < now())");
                    ResultSet due = backlog.executeQuery()) {
                rows.next();
                due.next();
                return new Counts(
                        rows.getLong(1),
                        rows.getLong(2),
                        rows.getLong(3),
                        rows.getLong(4),
                        due.getLong(1),
                        due.getDouble(2));
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

    /**
     * What became of the given deliveries, counted by kind: {@code healthy}, {@code dead} or {@code other} webhook,
     * status, attempts and push log rows ({@code gone} when the delivery no longer exists).
     */
    Map<String, Long> describe(List<String> deliveryIds, List<String> healthyWebhooks, String deadWebhook)
            throws SQLException {
        Map<String, Long> kinds = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement("select d.id::text, d.webhook_id::text,"
                + " d.status, d.attempts, (select count(*) from push.push_log l where l.delivery_id = d.id)"
                + " from push.delivery d where d.id::text = any(?)")) {
            query.setArray(1, connection.createArrayOf("text", deliveryIds.toArray(String[]::new)));
            long found = 0;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found++;
                    String webhook = rows.getString(2);
                    String sink = healthyWebhooks.contains(webhook)
                            ? "healthy sink"
                            : webhook.equals(deadWebhook) ? "dead sink" : "other webhook";
                    kinds.merge(
                            String.format(
                                    Locale.ROOT,
                                    "%s, %s, %d attempt(s), %d push log row(s)",
                                    sink,
                                    rows.getString(3),
                                    rows.getInt(4),
                                    rows.getLong(5)),
                            1L,
                            Long::sum);
                }
            }
            if (found < deliveryIds.size()) {
                kinds.put("gone (its webhook deleted)", deliveryIds.size() - found);
            }
        }
        return kinds;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
