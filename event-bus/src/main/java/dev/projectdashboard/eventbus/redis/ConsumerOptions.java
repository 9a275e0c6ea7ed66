package dev.projectdashboard.eventbus.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a group consumer reads and retries.
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

    public static ConsumerOptions defaults() {
        return new ConsumerOptions(
                32,
                Duration.ofSeconds(2),
                16,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                5,
                Duration.ofSeconds(30),
                "$",
                null,
                Duration.ofSeconds(10));
    }

    public ConsumerOptions withConsumerName(String name) {
        return new ConsumerOptions(
                batchSize,
                blockTimeout,
                inFlight,
                claimIdle,
                claimInterval,
                maxDeliveries,
                handlerTimeout,
                groupStartId,
                name,
                gaugeInterval);
    }

    public ConsumerOptions withGroupStartId(String startId) {
        return new ConsumerOptions(
                batchSize,
                blockTimeout,
                inFlight,
                claimIdle,
                claimInterval,
                maxDeliveries,
                handlerTimeout,
                startId,
                consumerName,
                gaugeInterval);
    }

    public ConsumerOptions withBatching(int newBatchSize, int newInFlight) {
        return new ConsumerOptions(
                newBatchSize,
                blockTimeout,
                newInFlight,
                claimIdle,
                claimInterval,
                maxDeliveries,
                handlerTimeout,
                groupStartId,
                consumerName,
                gaugeInterval);
    }

    public ConsumerOptions withRetries(
            Duration newClaimIdle, Duration newClaimInterval, Duration newHandlerTimeout, int newMaxDeliveries) {
        return new ConsumerOptions(
                batchSize,
                blockTimeout,
                inFlight,
                newClaimIdle,
                newClaimInterval,
                newMaxDeliveries,
                newHandlerTimeout,
                groupStartId,
                consumerName,
                gaugeInterval);
    }

    public ConsumerOptions withTimings(Duration newBlockTimeout, Duration newGaugeInterval) {
        return new ConsumerOptions(
                batchSize,
                newBlockTimeout,
                inFlight,
                claimIdle,
                claimInterval,
                maxDeliveries,
                handlerTimeout,
                groupStartId,
                consumerName,
                newGaugeInterval);
    }
}
