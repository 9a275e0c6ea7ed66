package dev.projectdashboard.pushservice.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.pushservice.delivery.Delivery;
import dev.projectdashboard.pushservice.delivery.DeliveryStatus;
import dev.projectdashboard.pushservice.delivery.DeliveryStore;
import dev.projectdashboard.pushservice.delivery.DueDelivery;
import dev.projectdashboard.pushservice.delivery.PushEvent;
import dev.projectdashboard.pushservice.delivery.PushLog;
import dev.projectdashboard.pushservice.delivery.PushLogStore;
import dev.projectdashboard.pushservice.secret.SecretBox;
import dev.projectdashboard.pushservice.webhook.Webhook;
import dev.projectdashboard.pushservice.webhook.WebhookAuth;
import dev.projectdashboard.starter.DevDefaults;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery queries against the local stack's PostgreSQL, migrated by Flyway as in the service: leases (one
 * replica per delivery, nothing written without the lease), the dead-letter queue and its re-push filters, the push
 * log's retention. Each test works on events and webhooks of its own.
 */
@LocalStackTest
@DataR2dbcTest
@ImportAutoConfiguration({FlywayAutoConfiguration.class, JacksonAutoConfiguration.class})
@Import({DeliveryRepository.class, WebhookRepository.class, DeliveryQueriesTests.Keys.class})
class DeliveryQueriesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @TestConfiguration
    static class Keys {

        @Bean
        SecretBox secretBox() {
            return SecretBox.fromBase64(DevDefaults.PUSH_ENCRYPTION_KEY);
        }
    }

    @Autowired
    private DeliveryRepository deliveries;

    @Autowired
    private WebhookRepository webhooks;

    @Autowired
    private JsonMapper json;

    private UUID webhook;

    @BeforeEach
    void aWebhook() {
        webhook = UUID.fromString(CloudEvent.newId());
        webhooks.insert(new Webhook(
                        webhook,
                        "queries",
                        URI.create("https://example.com/hook"),
                        List.of("task.completed"),
                        null,
                        null,
                        new WebhookAuth.Bearer("t"),
                        "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",
                        null,
                        null,
                        Duration.ofSeconds(30),
                        null,
                        null,
                        true,
                        null,
                        "root",
                        NOW,
                        NOW))
                .block(WAIT);
    }

    private PushEvent event(String taskId) {
        return new PushEvent(
                CloudEvent.newId(),
                "task.completed",
                "task:" + taskId,
                taskId,
                NOW,
                json.readTree("{\"task_id\":\"" + taskId + "\"}"));
    }

    private DueDelivery recorded(String taskId, String owner, Instant leaseUntil) {
        List<DueDelivery> created = deliveries
                .record(event(taskId), List.of(webhook), Set.of(), owner, NOW, leaseUntil)
                .block(WAIT);
        assertThat(created).hasSize(1);
        return created.get(0);
    }

    @Test
    void anEventRecordedTwiceGetsOneDeliveryPerWebhook() {
        PushEvent event = event("T_TWICE_" + webhook);

        List<DueDelivery> first = deliveries
                .record(event, List.of(webhook), Set.of(), "a", NOW, NOW.plusSeconds(60))
                .block(WAIT);
        List<DueDelivery> again = deliveries
                .record(event, List.of(webhook), Set.of(), "b", NOW, NOW.plusSeconds(60))
                .block(WAIT);

        assertThat(first).hasSize(1);
        assertThat(again).isEmpty();
        assertThat(first.get(0).event().data().get("task_id").asString()).isEqualTo(event.taskId());
    }

    @Test
    void aLeasedDeliveryIsClaimedByNobodyUntilItsLeaseExpiresThenByExactlyOne() {
        String task = "T_LEASE_" + webhook;
        DueDelivery leased = recorded(task, "a", NOW.plusSeconds(60));

        assertThat(claimAll("b", NOW))
                .noneMatch(due -> due.delivery().id().equals(leased.delivery().id()));

        Instant later = NOW.plusSeconds(61);
        List<List<DueDelivery>> claims = Flux.range(0, 4)
                .flatMap(i -> deliveries
                        .claimDue("replica-" + i, later, later.plusSeconds(60), 1000, Set.of())
                        .collectList())
                .collectList()
                .block(WAIT);
        assertThat(claims.stream().flatMap(List::stream).filter(due -> due.delivery()
                        .id()
                        .equals(leased.delivery().id())))
                .hasSize(1);
    }

    @Test
    void aPausedWebhooksDeliveryIsStoredUnleasedAndClaimedOnlyByAReplicaThatDoesNotSkipIt() {
        PushEvent event = event("T_PAUSED_" + webhook);

        List<DueDelivery> leased = deliveries
                .record(event, List.of(webhook), Set.of(webhook), "a", NOW, NOW.plusSeconds(60))
                .block(WAIT);

        assertThat(leased).isEmpty();
        assertThat(deliveries
                        .claimDue("b", NOW, NOW.plusSeconds(60), 1000, Set.of(webhook))
                        .collectList()
                        .block(WAIT))
                .noneMatch(due -> due.event().eventId().equals(event.eventId()));
        assertThat(claimAll("b", NOW))
                .filteredOn(due -> due.event().eventId().equals(event.eventId()))
                .hasSize(1);
    }

    @Test
    void postponementsMadeTogetherAreEachAppliedOnlyForTheLeaseHolder() {
        List<DueDelivery> mine = Flux.range(0, 60)
                .map(i -> recorded("T_POSTPONE_" + i + "_" + webhook, "a", NOW.plusSeconds(60)))
                .collectList()
                .block(WAIT);
        DueDelivery theirs = recorded("T_POSTPONE_THEIRS_" + webhook, "c", NOW.plusSeconds(60));
        Instant next = NOW.plusSeconds(30);

        List<Boolean> applied = Flux.fromIterable(mine)
                .flatMap(due -> deliveries.postpone(due.delivery().id(), "a", next))
                .concatWith(deliveries.postpone(theirs.delivery().id(), "a", next))
                .collectList()
                .block(WAIT);

        assertThat(applied).containsOnly(true, false).filteredOn(value -> value).hasSize(60);
        List<UUID> claimed =
                claimAll("b", next).stream().map(due -> due.delivery().id()).toList();
        assertThat(claimed)
                .containsAll(mine.stream().map(due -> due.delivery().id()).toList());
        assertThat(claimed).doesNotContain(theirs.delivery().id());
        assertThat(deliveries.find(mine.get(0).delivery().id()).block(WAIT).nextAttemptAt())
                .isEqualTo(next);
    }

    @Test
    void outcomesStoredTogetherMoveOnAndLogOnlyTheDeliveriesWhoseLeaseIsHeld() {
        String task = "T_OUTCOMES_" + webhook;
        List<DueDelivery> mine = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            mine.add(recorded(task, "a", NOW.plusSeconds(60)));
        }
        DueDelivery theirs = recorded(task, "c", NOW.plusSeconds(60));
        Instant retryAt = NOW.plusSeconds(90);

        List<Boolean> applied = Flux.fromIterable(mine)
                .concatWithValues(theirs)
                .flatMap(due -> deliveries.attempted(
                        due.delivery().id(),
                        "a",
                        new DeliveryStore.Attempted(
                                log(due, NOW, false, 503), DeliveryStatus.PENDING, 1, retryAt, NOW)))
                .collectList()
                .block(WAIT);

        assertThat(applied).filteredOn(value -> value).hasSize(40);
        assertThat(applied).filteredOn(value -> !value).hasSize(1);
        assertThat(logCount(task)).isEqualTo(40);
        Delivery moved = deliveries.find(mine.get(7).delivery().id()).block(WAIT);
        assertThat(moved.attempts()).isEqualTo(1);
        assertThat(moved.lastStatus()).isEqualTo(503);
        assertThat(moved.nextAttemptAt()).isEqualTo(retryAt);
        Delivery untouched = deliveries.find(theirs.delivery().id()).block(WAIT);
        assertThat(untouched.attempts()).isZero();
        assertThat(untouched.lastStatus()).isNull();
    }

    @Test
    void onlyTheLeaseHolderMovesADeliveryOnAndLogsItsAttempt() {
        String task = "T_OWNER_" + webhook;
        DueDelivery due = recorded(task, "a", NOW.plusSeconds(60));
        UUID id = due.delivery().id();

        DeliveryStore.Attempted dead =
                new DeliveryStore.Attempted(log(due, NOW, false, 500), DeliveryStatus.PUSH_FAILED, 1, null, NOW);
        assertThat(deliveries.attempted(id, "b", dead).block(WAIT)).isFalse();
        assertThat(deliveries.find(id).block(WAIT).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(logCount(task)).isZero();

        assertThat(deliveries.attempted(id, "a", dead).block(WAIT)).isTrue();
        assertThat(deliveries.find(id).block(WAIT).status()).isEqualTo(DeliveryStatus.PUSH_FAILED);
        assertThat(deliveries.find(id).block(WAIT).lastStatus()).isEqualTo(500);
        assertThat(logCount(task)).isEqualTo(1);
        // the lease went with the attempt: a late second write by the same replica changes nothing
        assertThat(deliveries.attempted(id, "a", dead).block(WAIT)).isFalse();
    }

    @Test
    void aRepushSelectsDeadDeliveriesByItsFiltersAndGivesThemAFreshSchedule() {
        String task = "T_DLQ_" + webhook;
        DueDelivery one = recorded(task, "a", NOW.plusSeconds(60));
        DueDelivery other = recorded("T_DLQ_OTHER_" + webhook, "a", NOW.plusSeconds(60));
        for (DueDelivery due : List.of(one, other)) {
            deliveries
                    .attempted(
                            due.delivery().id(),
                            "a",
                            new DeliveryStore.Attempted(
                                    log(due, NOW, false, 400), DeliveryStatus.PUSH_FAILED, 3, null, NOW))
                    .block(WAIT);
        }
        assertThat(deliveries.countDead(webhook).block(WAIT)).isEqualTo(2);
        assertThat(deliveries.dead(webhook, 10, 0).collectList().block(WAIT)).hasSize(2);

        assertThat(deliveries
                        .repush(new DeliveryStore.DeadFilter(null, webhook, "task.failed", null, null), NOW)
                        .block(WAIT))
                .isZero();
        assertThat(deliveries
                        .repush(new DeliveryStore.DeadFilter(null, webhook, null, NOW.plusSeconds(1), null), NOW)
                        .block(WAIT))
                .isZero();
        assertThat(deliveries
                        .repush(new DeliveryStore.DeadFilter(task, webhook, null, null, null), NOW)
                        .block(WAIT))
                .isEqualTo(1);

        var repushed = deliveries.find(one.delivery().id()).block(WAIT);
        assertThat(repushed.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(repushed.attempts()).isZero();
        assertThat(repushed.deadAt()).isNull();
        assertThat(deliveries.find(other.delivery().id()).block(WAIT).status()).isEqualTo(DeliveryStatus.PUSH_FAILED);
        assertThat(deliveries
                        .repush(
                                new DeliveryStore.DeadFilter(
                                        null, webhook, "task.completed", NOW.minusSeconds(1), NOW.plusSeconds(1)),
                                NOW)
                        .block(WAIT))
                .isEqualTo(1);
    }

    @Test
    void theRetentionJobDeletesOnlyLogRowsOlderThanItsLimit() {
        String task = "T_OLD_" + webhook;
        DueDelivery due = recorded(task, "a", NOW.plusSeconds(60));
        deliveries.append(log(due, NOW.minus(Duration.ofDays(40)), true, 200)).block(WAIT);
        deliveries.append(log(due, NOW.minus(Duration.ofDays(10)), true, 200)).block(WAIT);

        deliveries.deleteOlderThan(NOW.minus(Duration.ofDays(30)), 10_000).block(WAIT);

        List<PushLog> left = deliveries
                .find(new PushLogStore.Query(task, null, null, null, null, 10, 0))
                .collectList()
                .block(WAIT);
        assertThat(left).hasSize(1);
        assertThat(left.get(0).createdAt()).isEqualTo(NOW.minus(Duration.ofDays(10)));
        assertThat(left.get(0).requestHeaders()).containsEntry("Authorization", "[redacted]");
    }

    private List<DueDelivery> claimAll(String owner, Instant now) {
        return deliveries
                .claimDue(owner, now, now.plusSeconds(60), 1000, Set.of())
                .collectList()
                .block(WAIT);
    }

    private long logCount(String task) {
        return deliveries
                .count(new PushLogStore.Query(task, null, null, null, null, 10, 0))
                .block(WAIT);
    }

    private PushLog log(DueDelivery due, Instant at, boolean success, int status) {
        return new PushLog(
                null,
                due.delivery().id(),
                webhook,
                due.delivery().taskId(),
                due.delivery().eventId(),
                success,
                status,
                Map.of("Authorization", "[redacted]"),
                "{}",
                Map.of(),
                "",
                12,
                0,
                success ? null : "HTTP " + status,
                at);
    }
}
