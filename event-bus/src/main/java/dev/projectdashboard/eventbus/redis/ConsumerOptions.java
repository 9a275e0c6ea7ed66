package dev.projectdashboard.eventbus.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a group consumer reads and retries. The defaults, and the names an application sets them by, are
 * {@link dev.projectdashboard.eventbus.autoconfigure.EventBusProperties.Consumer}'s: options come from binding those
 * ({@link dev.projectdashboard.eventbus.autoconfigure.EventBusProperties#bind}), never from a second set of values here.
 *
 * @param batchSize COUNT of one XREADGROUP / XAUTOCLAIM
 * @param blockTimeout BLOCK of one XREADGROUP / XREAD
 * @param inFlight how many entries are handled at the same time
 * @param claimIdle entries pending longer than this (a dead replica's, or failed ones) are claimed and handled
 *     again; must exceed {@code handlerTimeout} so a slow but live handler is not raced
 * @param claimInterval how often XAUTOCLAIM runs
 * @param maxDeliveries after this many failed deliveries an entry goes to {@code events:dead}
 * @param handlerTimeout a handler that has not completed by then has failed
 * @param groupStartId where a new group starts: {@code $} (only new entries) or {@code 0} (everything retained); a
 *     group that vanished (Redis restarted empty) is always re-created at {@code 0}
 * @param consumerName this replica's consumer name; null for {@code $HOSTNAME-<random>}
 * @param gaugeInterval how often the pending and lag gauges are refreshed
 */
public record ConsumerOptions(
        int batchSize,
        Duration blockTimeout,
        int inFlight,
        Duration claimIdle,
        Duration claimInterval,
        int maxDeliveries,
        Duration handlerTimeout,
        String groupStartId,
        String consumerName,
        Duration gaugeInterval) {

    public ConsumerOptions {
        if (batchSize < 1 || inFlight < 1 || maxDeliveries < 1) {
            throw new IllegalArgumentException("batchSize, inFlight and maxDeliveries must be at least 1");
        }
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        Objects.requireNonNull(claimIdle, "claimIdle");
        Objects.requireNonNull(claimInterval, "claimInterval");
        Objects.requireNonNull(handlerTimeout, "handlerTimeout");
        Objects.requireNonNull(gaugeInterval, "gaugeInterval");
        if (handlerTimeout.compareTo(claimIdle) >= 0) {
            throw new IllegalArgumentException(
                    "handlerTimeout (" + handlerTimeout + ") must be shorter than claimIdle (" + claimIdle
                            + "), or a slow handler's entry is claimed by another replica while it runs");
        }
        groupStartId = groupStartId == null ? "$" : groupStartId;
    }
}
