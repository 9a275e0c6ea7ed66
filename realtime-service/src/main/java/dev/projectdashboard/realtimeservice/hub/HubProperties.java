package dev.projectdashboard.realtimeservice.hub;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The delivery core: limits, channel history, presence and the replicas' heartbeat.
 *
 * @param maxConnectionsPerUser open connections one user may hold across every replica
 * @param maxConnectionsPerAddress open connections without a token (public projects) one client address may hold
 *     across every replica
 * @param maxSubscriptionsPerConnection channels one connection may subscribe to (personal channels included)
 * @param historySize publications kept per channel for recovery (0: no history, channels are not recoverable)
 * @param historyTtl a channel's history is dropped after this long without a publication
 * @param historyMetaTtl a channel's epoch and top offset are kept this long without a publication; longer than
 *     {@code historyTtl} so a quiet channel still answers "recovered, nothing missed"
 * @param recoveryMaxPublications a client that missed more than this many publications is not recovered
 * @param presenceNamespaces channel namespaces whose subscribers are listed in presence
 * @param joinLeaveNamespaces namespaces (among those with presence) whose subscribers get join and leave events
 * @param presenceTtl a presence entry not refreshed for this long (its replica died) is dropped, with a leave
 * @param replicaTtl a replica whose heartbeat is this old is dead: its connections stop counting
 * @param heartbeatInterval how often a replica renews its heartbeat (a third of {@code replicaTtl} or less)
 * @param dedupeTtl how long an event id is remembered so a second replica does not sequence it again
 * @param fanoutMaxlen approximate length of the {@code rt:fanout} stream
 * @param replicaId this replica's name in Redis; empty for the host name plus a random suffix
 */
@Validated
@ConfigurationProperties("dashboard.realtime.hub")
public record HubProperties(
        @DefaultValue("10") @Min(1) int maxConnectionsPerUser,
        @DefaultValue("20") @Min(1) int maxConnectionsPerAddress,
        @DefaultValue("128") @Min(2) int maxSubscriptionsPerConnection,
        @DefaultValue("100") @Min(0) @Max(100_000) int historySize,
        @DefaultValue("1h") @NotNull Duration historyTtl,
        @DefaultValue("7d") @NotNull Duration historyMetaTtl,
        @DefaultValue("300") @Min(1) int recoveryMaxPublications,
        @DefaultValue({"project", "deployment"}) @NotNull Set<String> presenceNamespaces,
        // off by default, as in Centrifugo: every subscribe sends a join to every other subscriber, so n subscribers of
        // one channel cost n² frames (the realtime benchmark saw 862,259 join frames for 1,000 clients)
        @DefaultValue({}) @NotNull Set<String> joinLeaveNamespaces,
        @DefaultValue("60s") @NotNull Duration presenceTtl,
        @DefaultValue("30s") @NotNull Duration replicaTtl,
        @DefaultValue("10s") @NotNull Duration heartbeatInterval,
        @DefaultValue("1d") @NotNull Duration dedupeTtl,
        @DefaultValue("100000") @Min(100) long fanoutMaxlen,
        @DefaultValue("") String replicaId) {

    public HubProperties {
        requirePositive(historyTtl, "historyTtl");
        requirePositive(presenceTtl, "presenceTtl");
        requirePositive(dedupeTtl, "dedupeTtl");
        requirePositive(replicaTtl, "replicaTtl");
        requirePositive(heartbeatInterval, "heartbeatInterval");
        if (historyMetaTtl.compareTo(historyTtl) < 0) {
            throw new IllegalArgumentException("dashboard.realtime.hub.history-meta-ttl (" + historyMetaTtl
                    + ") must not be shorter than dashboard.realtime.hub.history-ttl (" + historyTtl + ")");
        }
        if (heartbeatInterval.multipliedBy(2).compareTo(replicaTtl) > 0) {
            throw new IllegalArgumentException("dashboard.realtime.hub.heartbeat-interval (" + heartbeatInterval
                    + ") must be at most half of dashboard.realtime.hub.replica-ttl (" + replicaTtl
                    + "), or a live replica looks dead between two beats");
        }
        presenceNamespaces = Set.copyOf(presenceNamespaces);
        joinLeaveNamespaces = Set.copyOf(joinLeaveNamespaces);
        replicaId = replicaId == null ? "" : replicaId;
    }

    public boolean hasPresence(String namespace) {
        return presenceNamespaces.contains(namespace);
    }

    public boolean hasJoinLeave(String namespace) {
        return hasPresence(namespace) && joinLeaveNamespaces.contains(namespace);
    }

    /** How often presence entries are refreshed and expired ones swept: a third of the ttl. */
    public Duration presenceRefreshInterval() {
        return presenceTtl.dividedBy(3);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("dashboard.realtime.hub." + name + " must be a positive duration");
        }
    }
}
