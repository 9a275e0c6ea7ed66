package dev.projectdashboard.deploynotifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.deploynotifier.FixedClock;
import dev.projectdashboard.deploynotifier.deployment.Deployment;
import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.LogEntry;
import dev.projectdashboard.deploynotifier.deployment.ProjectStatistics;
import dev.projectdashboard.deploynotifier.deployment.ProjectSummary;
import dev.projectdashboard.deploynotifier.deployment.Step;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.deploynotifier.store.DeploymentQueries;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The query API's mapping: parameters checked before any query, visibility, paging, domain records as views. */
@WebFluxTest(DeploymentController.class)
@DevelopmentSecrets
@Import(FixedClock.class)
class DeploymentControllerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // minted at the fixed clock's time: the JWT decoder reads the same clock, so a token of the real now would
    // be issued in its future
    private static final String ADMIN = DevTokens.builder("root")
            .roles(List.of("admin"))
            .projects(List.of("*"))
            .devices(List.of("*"))
            .issuedAt(FixedClock.NOW)
            .expiresAt(FixedClock.NOW.plus(Duration.ofHours(1)))
            .sign();

    @Autowired
    WebTestClient client;

    @MockitoBean
    DeploymentQueries queries;

    private static Deployment deployment(String project, String id, Instant startedAt) {
        return new Deployment(
                project,
                id,
                "deploy-project",
                "987654321",
                DeploymentStatus.SUCCESS,
                startedAt,
                startedAt.plusSeconds(45),
                new BigDecimal("12.5"),
                "done",
                null,
                startedAt.plusSeconds(46));
    }

    private WebTestClient.ResponseSpec get(String uri, String token, Object... variables) {
        return client.get()
                .uri(uri, variables)
                .headers(headers -> {
                    if (token != null) {
                        headers.setBearerAuth(token);
                    }
                })
                .exchange();
    }

    private JsonNode ok(String uri, String token) {
        return JSON.readTree(get(uri, token)
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    private static JsonNode problem(WebTestClient.ResponseSpec response, HttpStatus status) {
        JsonNode problem = JSON.readTree(response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(problem.path("status").asInt()).isEqualTo(status.value());
        return problem;
    }

    @Test
    void aFullPageLinksTheNextOneAndTheStatusWordIsNormalised() {
        Instant started = Instant.parse("2024-01-01T12:00:15Z");
        when(queries.list(any(), eq("p"), eq(DeploymentStatus.FAILED), isNull(), eq(2)))
                .thenReturn(Flux.just(deployment("p", "d2", started.plusSeconds(60)), deployment("p", "d1", started)));

        JsonNode page = ok("/api/v1/deployments?project=p&status=failure&limit=2", ADMIN);

        assertThat(page.path("items").valueStream().map(item -> item.path("deployment_id")
                        .asString()))
                .containsExactly("d2", "d1");
        assertThat(page.path("items").get(0).path("status").asString()).isEqualTo("success");
        String next = page.path("next_before").asString();
        assertThat(new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8))
                .isEqualTo("2024-01-01T12:00:15Z|p|d1");

        // the cursor it handed out names the same position when it comes back
        when(queries.list(any(), isNull(), isNull(), any(), eq(20))).thenReturn(Flux.empty());
        JsonNode last = ok("/api/v1/deployments?before=" + next, ADMIN);
        assertThat(last.path("items")).isEmpty();
        assertThat(last.path("next_before").isNull()).isTrue();
        verify(queries).list(any(), isNull(), isNull(), eq(new DeploymentQueries.Cursor(started, "p", "d1")), eq(20));
    }

    @Test
    void aShortPageHasNoNextPage() {
        when(queries.list(any(), isNull(), isNull(), isNull(), eq(20)))
                .thenReturn(Flux.just(deployment("p", "d1", Instant.parse("2024-01-01T12:00:15Z"))));

        assertThat(ok("/api/v1/deployments", ADMIN).path("next_before").isNull())
                .isTrue();
    }

    @Test
    void anotherUsersProjectIsAnEmptyPageOrA404WithoutAQuery() {
        String alice = DevTokens.builder("alice")
                .roles(List.of("user"))
                .projects(List.of("mine"))
                .issuedAt(FixedClock.NOW)
                .expiresAt(FixedClock.NOW.plus(Duration.ofHours(1)))
                .sign();

        assertThat(ok("/api/v1/deployments?project=theirs", alice).path("items"))
                .isEmpty();
        problem(get("/api/v1/projects/theirs/metrics", alice), HttpStatus.NOT_FOUND);

        verifyNoInteractions(queries);
    }

    @Test
    void aDeploymentNobodyMaySeeIsA404() {
        when(queries.find(any(), eq("d-unknown"), isNull())).thenReturn(Flux.empty());

        JsonNode problem = problem(get("/api/v1/deployments/d-unknown", ADMIN), HttpStatus.NOT_FOUND);

        assertThat(problem.path("detail").asString()).contains("d-unknown");
        verify(queries, never()).steps(any(), any());
    }

    @Test
    void withoutATokenEveryQueryIs401() {
        for (String uri : List.of("/api/v1/deployments", "/api/v1/deployments/d1", "/api/v1/projects")) {
            problem(get(uri, null), HttpStatus.UNAUTHORIZED);
        }
        verifyNoInteractions(queries);
    }

    @Test
    void theDetailHasTheDeploymentsFieldsItsStepsAndTheLatestMetrics() {
        Instant started = Instant.parse("2024-01-01T12:00:00Z");
        when(queries.find(any(), eq("d1"), eq("p"))).thenReturn(Flux.just(deployment("p", "d1", started)));
        when(queries.steps("p", "d1"))
                .thenReturn(Mono.just(List.of(new Step(
                        "build", StepStatus.COMPLETED, started, started.plusSeconds(12), new BigDecimal("12"), null))));
        when(queries.latestMetrics("p", "d1")).thenReturn(Mono.just(JSON.readTree("{\"steps_count\":5}")));

        JsonNode detail = ok("/api/v1/deployments/d1?project=p", ADMIN);

        assertThat(detail.path("project").asString()).isEqualTo("p");
        assertThat(detail.path("status").asString()).isEqualTo("success");
        assertThat(detail.path("steps").get(0).path("status").asString()).isEqualTo("completed");
        assertThat(detail.path("metrics").path("steps_count").asInt()).isEqualTo(5);

        // no metrics yet: null, and the steps still answered
        when(queries.latestMetrics("p", "d1")).thenReturn(Mono.empty());
        JsonNode bare = ok("/api/v1/deployments/d1?project=p", ADMIN);
        assertThat(bare.path("metrics").isNull()).isTrue();
        assertThat(bare.path("steps")).hasSize(1);
    }

    @Test
    void logsPageFromAfterAndKeepItWhenNothingIsNew() {
        Instant at = Instant.parse("2024-01-01T12:00:30Z");
        when(queries.find(any(), eq("d1"), isNull())).thenReturn(Flux.just(deployment("p", "d1", at)));
        when(queries.logs("p", "d1", 0, 2))
                .thenReturn(Mono.just(List.of(
                        new LogEntry(7, at, "info", "one", "workflow", "s"),
                        new LogEntry(9, at, "info", "two", "workflow", "s"))));
        when(queries.logs("p", "d1", 9, 200)).thenReturn(Mono.just(List.of()));

        JsonNode first = ok("/api/v1/deployments/d1/logs?limit=2", ADMIN);
        assertThat(first.path("next_after").asLong()).isEqualTo(9);
        assertThat(first.path("items").get(0).path("seq").asLong()).isEqualTo(7);

        assertThat(ok("/api/v1/deployments/d1/logs?after=9", ADMIN)
                        .path("next_after")
                        .asLong())
                .isEqualTo(9);
    }

    @Test
    void aDeploymentWithoutLogLinesAnswersAnEmptyPageFromTheStart() {
        when(queries.find(any(), eq("d1"), isNull()))
                .thenReturn(Flux.just(deployment("p", "d1", Instant.parse("2024-01-01T12:00:30Z"))));
        when(queries.logs("p", "d1", 0, 200)).thenReturn(Mono.just(List.of()));

        JsonNode empty = ok("/api/v1/deployments/d1/logs", ADMIN);

        assertThat(empty.path("items")).isEmpty();
        assertThat(empty.path("next_after").asLong()).isZero();
    }

    @Test
    void metricsCoverTheWindowBeforeNowByTheServicesClock() {
        when(queries.statistics(eq("p"), any(), any())).thenAnswer(call -> {
            Duration window = call.getArgument(1);
            Instant now = call.getArgument(2);
            return Mono.just(new ProjectStatistics("p", window, now.minus(window), 5, 3, 1, 0, 1, 0, 25.0, 38.5));
        });

        JsonNode month = ok("/api/v1/projects/p/metrics", ADMIN);
        assertThat(month.path("window").asString()).isEqualTo("PT720H");
        assertThat(month.path("since").asString()).isEqualTo("2026-01-30T10:00:00Z");
        assertThat(month.path("success_rate").asDouble()).isEqualTo(0.75);

        JsonNode day = ok("/api/v1/projects/p/metrics?window=P1D", ADMIN);
        assertThat(day.path("since").asString()).isEqualTo("2026-02-28T10:00:00Z");
    }

    @Test
    void projectsAreListedWithTheirLastDeployment() {
        when(queries.projects(any()))
                .thenReturn(Mono.just(List.of(new ProjectSummary(
                        "p", 3, Instant.parse("2024-01-01T12:00:00Z"), DeploymentStatus.CANCELLED, "d3"))));

        JsonNode item = ok("/api/v1/projects", ADMIN).path("items").get(0);

        assertThat(item.path("last_status").asString()).isEqualTo("cancelled");
        assertThat(item.path("deployments").asLong()).isEqualTo(3);
    }

    static Stream<Arguments> refusedQueries() {
        String farCursor = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("+999999999-12-31T23:59:59Z|p|d".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("/api/v1/deployments?before={v}", "+999999999-12-31T23:59:59Z", "before"),
                Arguments.of("/api/v1/deployments?before={v}", "-5000-01-01T00:00:00Z", "before"),
                Arguments.of("/api/v1/deployments?before={v}", "0000-01-01T00:00:00Z", "before"),
                Arguments.of("/api/v1/deployments?before={v}", farCursor, "before"),
                Arguments.of("/api/v1/deployments?before={v}", "yesterday", "before"),
                Arguments.of("/api/v1/deployments?before={v}", "garbage", "before"),
                Arguments.of("/api/v1/deployments?before={v}", "\u0000", "before"),
                Arguments.of("/api/v1/deployments?limit={v}", "0", "limit"),
                Arguments.of("/api/v1/deployments?limit={v}", "201", "limit"),
                Arguments.of("/api/v1/deployments?limit={v}", "99999999999", "limit"),
                Arguments.of("/api/v1/deployments?status={v}", "exploded", "status"),
                Arguments.of("/api/v1/deployments?project={v}", "a\u0000b", "project"),
                Arguments.of("/api/v1/deployments/{v}", "a b", "id"),
                Arguments.of("/api/v1/deployments/x/logs?after={v}", "-1", "after"),
                Arguments.of("/api/v1/deployments/x/logs?after={v}", "1e30", "after"),
                Arguments.of("/api/v1/deployments/x/logs?limit={v}", "1001", "limit"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "PT0.5S", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "PT0S", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "-P1D", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "P367D", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "PT9999999999999999999H", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "soon", "window"),
                Arguments.of("/api/v1/projects/p/metrics?window={v}", "forever", "window"),
                Arguments.of("/api/v1/projects/{v}/metrics", "a:b", "project"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("refusedQueries")
    void aQueryParameterOutOfRangeIs400NamingItAndQueriesNothing(String uri, String value, String parameter) {
        JsonNode problem = problem(get(uri, ADMIN, value), HttpStatus.BAD_REQUEST);

        assertThat(problem.path("errors").valueStream().map(error -> error.path("field")
                        .asString()))
                .as("%s", problem)
                .containsExactly(parameter);
        verifyNoInteractions(queries);
    }

    @Test
    void everyWrongParameterIsNamedAtOnce() {
        JsonNode problem =
                problem(get("/api/v1/deployments?status=exploded&limit=0&project=a!b", ADMIN), HttpStatus.BAD_REQUEST);

        assertThat(problem.path("errors").valueStream().map(error -> error.path("field")
                        .asString()))
                .containsExactlyInAnyOrder("status", "limit", "project");
        verifyNoInteractions(queries);
    }
}
