package dev.projectdashboard.deploynotifier.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.FixedClock;
import dev.projectdashboard.deploynotifier.deployment.Deployment;
import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.ProjectStatistics;
import dev.projectdashboard.deploynotifier.deployment.ProjectSummary;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The query API's SQL against the local stack's PostgreSQL, migrated by Flyway: rows written by {@link DeploymentStore}
 * come back as domain records, newest first, page by page, limited to what a user may see. The slice has no Flyway of
 * its own, so it is imported: the schema is the migrations', as in the service.
 */
@DataR2dbcTest
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@LocalStackTest
@Import({DeploymentStore.class, DeploymentQueries.class, FixedClock.class, DeploymentQueriesTests.Beans.class})
class DeploymentQueriesTests {

    private static final Instant NOW = FixedClock.NOW;

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        JsonMapper jsonMapper() {
            return JsonMapper.builder().build();
        }
    }

    private static final DashboardPrincipal ADMIN = principal(List.of("admin"), List.of());

    @Autowired
    DeploymentStore store;

    @Autowired
    DeploymentQueries queries;

    private static DashboardPrincipal principal(List<String> roles, List<String> projects) {
        return new DashboardPrincipal("someone", Set.copyOf(roles), Set.copyOf(projects), Set.of());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stores a notification as the webhook would: its own delivery, no events. */
    private void store(Notification notification) {
        String key = "test:" + UUID.randomUUID();
        StepVerifier.create(store.store(
                        new DeploymentStore.Delivery(
                                key,
                                "deployment",
                                notification.type(),
                                notification.project(),
                                notification.deploymentId()),
                        List.of(notification),
                        List.of()))
                .expectNextMatches(stored -> !stored.duplicate())
                .verifyComplete();
    }

    private void completed(
            String project, String deploymentId, DeploymentStatus status, Instant started, long seconds) {
        store(new Notification.Completed(
                project,
                deploymentId,
                status,
                BigDecimal.valueOf(seconds),
                started.plusSeconds(seconds),
                "deploy-project",
                "987654321",
                null,
                started,
                started.plusSeconds(seconds),
                null));
    }

    @Test
    void deploymentsComeNewestFirstAndACursorContinuesWhereThePageEnded() {
        String project = unique("paged");
        Instant start = NOW.minus(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            completed(project, "d" + i, DeploymentStatus.SUCCESS, start.plusSeconds(60L * i), 10);
        }

        List<Deployment> first =
                queries.list(ADMIN, project, null, null, 2).collectList().block();
        assertThat(first).extracting(Deployment::deploymentId).containsExactly("d4", "d3");
        Deployment last = first.get(1);
        DeploymentQueries.Cursor cursor =
                new DeploymentQueries.Cursor(last.startedAt(), last.project(), last.deploymentId());
        assertThat(queries.list(ADMIN, project, null, cursor, 10).collectList().block())
                .extracting(Deployment::deploymentId)
                .containsExactly("d2", "d1", "d0");

        assertThat(first.get(0).status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(first.get(0).duration()).isEqualByComparingTo("10");
        assertThat(queries.list(ADMIN, project, DeploymentStatus.FAILED, null, 10)
                        .collectList()
                        .block())
                .isEmpty();
    }

    @Test
    void aUserSeesOnlyTheProjectsOfTheClaim() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        completed(mine, "shared-id", DeploymentStatus.SUCCESS, NOW.minusSeconds(600), 5);
        completed(theirs, "shared-id", DeploymentStatus.FAILED, NOW.minusSeconds(300), 5);
        DashboardPrincipal alice = principal(List.of("user"), List.of(mine));

        assertThat(queries.find(alice, "shared-id", null).collectList().block())
                .extracting(Deployment::project)
                .containsExactly(mine);
        assertThat(queries.find(ADMIN, "shared-id", null).collectList().block())
                .extracting(Deployment::project)
                .startsWith(theirs)
                .contains(mine);
        assertThat(queries.list(alice, theirs, null, null, 10).collectList().block())
                .isEmpty();
        assertThat(queries.projects(alice).block())
                .extracting(ProjectSummary::project)
                .contains(mine)
                .doesNotContain(theirs);
    }

    @Test
    void stepsKeepTheirPlaceLogsPageByArrivalAndTheLatestMetricsWin() {
        String project = unique("detail");
        Instant at = NOW.minusSeconds(120);
        store(new Notification.Step(project, "d", "build", StepStatus.STARTED, at, null, null, null, null, true));
        store(new Notification.Step(project, "d", "test", StepStatus.STARTED, at, null, null, null, null, true));
        store(new Notification.Step(
                project, "d", "build", StepStatus.COMPLETED, at.plusMillis(12_250), null, null, null, null, false));
        for (int i = 1; i <= 3; i++) {
            store(new Notification.Logs(
                    project,
                    "d",
                    List.of(new Notification.LogLine("s", at.plusSeconds(i), "info", "line " + i, "workflow")),
                    false));
        }
        JsonMapper json = JsonMapper.builder().build();
        store(new Notification.Metrics(project, "d", at, json.readTree("{\"steps_count\":1}")));
        store(new Notification.Metrics(project, "d", at.plusSeconds(1), json.readTree("{\"steps_count\":2}")));

        assertThat(queries.steps(project, "d").block())
                .satisfiesExactly(
                        build -> {
                            assertThat(build.stepName()).isEqualTo("build");
                            assertThat(build.status()).isEqualTo(StepStatus.COMPLETED);
                            // derived from the two times, to the microsecond
                            assertThat(build.duration()).isEqualByComparingTo("12.25");
                        },
                        test -> assertThat(test.status()).isEqualTo(StepStatus.STARTED));
        var firstTwo = queries.logs(project, "d", 0, 2).block();
        assertThat(firstTwo).extracting(line -> line.message()).containsExactly("line 1", "line 2");
        assertThat(queries.logs(project, "d", firstTwo.get(1).seq(), 10).block())
                .extracting(line -> line.message())
                .containsExactly("line 3");
        assertThat(queries.latestMetrics(project, "d")
                        .block()
                        .path("steps_count")
                        .asInt())
                .isEqualTo(2);
        assertThat(queries.latestMetrics(project, "none").blockOptional()).isEmpty();
    }

    @Test
    void statisticsCountEveryOutcomeInTheWindowAndRateTheDecidedOnes() {
        String project = unique("stats");
        completed(project, "a", DeploymentStatus.SUCCESS, NOW.minus(Duration.ofMinutes(60)), 10);
        completed(project, "b", DeploymentStatus.SUCCESS, NOW.minus(Duration.ofMinutes(50)), 20);
        completed(project, "c", DeploymentStatus.FAILED, NOW.minus(Duration.ofMinutes(40)), 30);
        completed(project, "d", DeploymentStatus.SUCCESS, NOW.minus(Duration.ofMinutes(30)), 40);
        completed(project, "e", DeploymentStatus.SKIPPED, NOW.minus(Duration.ofMinutes(20)), 1);
        completed(project, "old", DeploymentStatus.FAILED, NOW.minus(Duration.ofDays(3)), 500);

        ProjectStatistics day =
                queries.statistics(project, Duration.ofDays(1), NOW).block();

        assertThat(day.since()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(day.count()).isEqualTo(5);
        assertThat(day.succeeded()).isEqualTo(3);
        assertThat(day.failed()).isEqualTo(1);
        assertThat(day.skipped()).isEqualTo(1);
        assertThat(day.successRate()).isEqualTo(0.75);
        assertThat(day.p50Duration()).isEqualTo(25.0);
        assertThat(day.p95Duration()).isCloseTo(38.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(queries.statistics(project, Duration.ofDays(30), NOW).block().count())
                .isEqualTo(6);
    }
}
