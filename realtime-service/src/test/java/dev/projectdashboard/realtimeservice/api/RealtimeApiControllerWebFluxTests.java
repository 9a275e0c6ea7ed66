package dev.projectdashboard.realtimeservice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.hub.Cluster;
import dev.projectdashboard.realtimeservice.hub.History;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import dev.projectdashboard.starter.test.ProblemFields;
import io.lettuce.core.RedisConnectionException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The server API's controller alone, its collaborators mocked: who may call it, the views it answers, and the problem
 * JSON of bad requests and an unavailable Redis. The flows over the real stack are in RealtimeApiIntegrationTests.
 */
@WebFluxTest(RealtimeApiController.class)
@Import({RealtimeApiSecurity.class, RealtimeApiControllerWebFluxTests.Settings.class})
@DevelopmentSecrets
class RealtimeApiControllerWebFluxTests {

    @Autowired
    WebTestClient client;

    @MockitoBean
    Cluster cluster;

    @MockitoBean
    History history;

    @MockitoBean
    ServerPublishing publishing;

    /** The API's settings with their defaults (the body deadline filter reads them too). */
    @EnableConfigurationProperties(RealtimeApiProperties.class)
    static class Settings {}

    @Test
    void statsAnswersTheClusterCountsToABackend() {
        given(cluster.stats(anyInt())).willReturn(Mono.just(new Cluster.Stats(5, 3, List.of("user1", "user2"), 3, 2)));

        client.get()
                .uri("/api/v1/realtime/stats?limit=2")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total_connections")
                .isEqualTo(5)
                .jsonPath("$.total_users")
                .isEqualTo(3)
                .jsonPath("$.active_users[1]")
                .isEqualTo("user2")
                .jsonPath("$.active_users_truncated")
                .isEqualTo(true);
    }

    @Test
    void statsRefusesALimitOutOfRangeWithAProblemNamingIt() {
        expectProblemNaming("/api/v1/realtime/stats?limit=0", "limit");
        verifyNoInteractions(cluster);
    }

    @Test
    void theServerApiIsForBackendsAndAdministratorsOnly() {
        client.get()
                .uri("/api/v1/realtime/stats")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get()
                .uri("/api/v1/realtime/stats")
                .headers(h -> h.setBearerAuth(DevTokens.userToken("alice", List.of("user"))))
                .exchange()
                .expectStatus()
                .isForbidden();
        verifyNoInteractions(cluster);
    }

    @Test
    void presenceListsClientsAndCountsDistinctUsers() {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        given(cluster.presence(ChannelName.parse("project:alpha")))
                .willReturn(Mono.just(List.of(
                        new PresenceChange.ClientInfo("alice", "c1", "websocket", at),
                        new PresenceChange.ClientInfo("alice", "c2", "socket.io", at))));

        client.get()
                .uri("/api/v1/realtime/presence/project:alpha")
                .headers(h -> h.setBearerAuth(DevTokens.adminToken("admin")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.channel")
                .isEqualTo("project:alpha")
                .jsonPath("$.num_clients")
                .isEqualTo(2)
                .jsonPath("$.num_users")
                .isEqualTo(1);
    }

    @Test
    void presenceRefusesAChannelItCannotNameWithAProblemNamingIt() {
        expectProblemNaming("/api/v1/realtime/presence/nonsense", "channel");
        verifyNoInteractions(cluster);
    }

    @Test
    void historyRefusesANegativeOffsetAndAnOversizedLimit() {
        expectProblemNaming("/api/v1/realtime/history/task:t1?since=-1", "since");
        expectProblemNaming("/api/v1/realtime/history/task:t1?limit=100000", "limit");
        verifyNoInteractions(history);
    }

    @Test
    void historyIsA503ProblemWhileRedisIsUnavailable() {
        given(history.read(eq(ChannelName.parse("task:t1")), any(), anyInt()))
                .willReturn(Mono.error(new RedisConnectionException("connection refused")));

        client.get()
                .uri("/api/v1/realtime/history/task:t1")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo(ApiErrors.UNAVAILABLE);
    }

    @Test
    void disconnectRefusesAUserIdNoChannelCanNameWithAProblemNamingIt() {
        client.post()
                .uri("/api/v1/realtime/users/a b/disconnect")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("user_id");
        verifyNoInteractions(cluster);
    }

    @Test
    void disconnectAnswersHowManyConnectionsWereClosed() {
        given(cluster.disconnectUser("alice")).willReturn(Mono.just(2L));

        client.post()
                .uri("/api/v1/realtime/users/alice/disconnect")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.user_id")
                .isEqualTo("alice");
    }

    @Test
    void publishRefusesABodyItsConstraintsRefuseBeforePublishingAnything() {
        List<String> fields = problemFields(
                "/api/v1/realtime/publish", "{\"channel\":\"no-namespace\",\"type\":\"task.unknown\",\"data\":[1]}");

        assertThat(fields).containsExactlyInAnyOrder("channel", "type", "data");
        verifyNoInteractions(publishing);
    }

    @Test
    void broadcastRefusesEachRepeatedChannelAtItsIndexAndABadBodyKeyByItsJsonName() {
        List<String> fields = problemFields(
                "/api/v1/realtime/broadcast",
                "{\"channels\":[\"project:a\",\" \",\"project:a\",\"project:b\",\"project:b\"],"
                        + "\"type\":\"notification\",\"data\":{\"title\":\"t\"},\"idempotency_key\":\"a b\"}");

        assertThat(fields).containsExactlyInAnyOrder("channels[1]", "channels[2]", "channels[4]", "idempotency_key");
        verifyNoInteractions(publishing);
    }

    @Test
    void notificationsValidateTheQueryAndBodyFieldsTogetherAndNameThemInSnakeCase() {
        List<String> fields = problemFields(
                "/api/v1/realtime/notifications?title=" + "t".repeat(201) + "&action_url=/x%00y",
                "{\"user_id\":\"a b\",\"type\":\"<b>\"}");

        assertThat(fields).containsExactlyInAnyOrder("user_id", "title", "message", "notification_type", "action_url");
        verifyNoInteractions(publishing);
    }

    /** The fields a 400 problem JSON names, for a backend's POST of {@code json} to {@code uri} (sent as it is). */
    private List<String> problemFields(String uri, String json) {
        return ProblemFields.ofBadRequest(client.post()
                .uri(URI.create(uri))
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange());
    }

    /** A 400 problem JSON whose first error names {@code field}, for a backend's GET of {@code uri}. */
    private void expectProblemNaming(String uri, String field) {
        client.get()
                .uri(uri)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo(field);
    }
}
