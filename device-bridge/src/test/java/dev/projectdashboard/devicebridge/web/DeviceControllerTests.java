package dev.projectdashboard.devicebridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.devicebridge.domain.UploadState;
import dev.projectdashboard.devicebridge.persistence.DeviceQueries;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import dev.projectdashboard.starter.test.ProblemFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The device registry API's mapping alone: who may do what, request validation as problem JSON, visibility and the
 * snake_case bodies, with the registry and the queries mocked. What they do is the integration tests' business.
 */
@WebFluxTest(DeviceController.class)
@DevelopmentSecrets
@Import(DeviceControllerTests.Bridge.class)
class DeviceControllerTests {

    private static final String ADMIN = DevTokens.adminToken("root");
    private static final String ALICE = DevTokens.userToken("alice", List.of("user"));
    private static final String BOB = DevTokens.userToken("bob", List.of("user"));
    private static final String CAROL_WITH_CAM_1 =
            DevTokens.userToken("carol", List.of("user"), List.of(), List.of("CAM_1"));
    private static final String DAVE_WITH_ALL_DEVICES =
            DevTokens.userToken("dave", List.of("user"), List.of(), List.of("*"));

    private static final Instant T0 = Instant.parse("2025-07-11T14:30:22Z");
    private static final Device CAM_1 =
            new Device("CAM_1", "Front door", "alice", true, T0, T0, T0, T0.plusSeconds(60));

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private DeviceRegistry registry;

    @MockitoBean
    private DeviceQueries queries;

    @TestConfiguration(proxyBeanMethods = false)
    static class Bridge {

        @Bean
        BrokerAccess.BridgeLogin bridgeLogin() {
            return new BrokerAccess.BridgeLogin("device-bridge", "bridge-secret", "device-bridge");
        }
    }

    // --- who may write

    @Test
    void refusesEveryWriteOfAUserWithA403Problem() {
        expectForbidden(client.post().uri("/api/v1/devices").bodyValue("{\"device_id\":\"CAM_9\"}"));
        expectForbidden(client.patch().uri("/api/v1/devices/CAM_1").bodyValue("{\"enabled\":false}"));
        expectForbidden(client.delete().uri("/api/v1/devices/CAM_1"));
        expectForbidden(client.post().uri("/api/v1/devices/CAM_1/secret"));
        verifyNoInteractions(registry, queries);
    }

    @Test
    void refusesACallerWithoutTokenWithA401Problem() {
        for (WebTestClient.RequestHeadersSpec<?> request : List.of(
                client.get().uri("/api/v1/devices"),
                client.get().uri("/api/v1/devices/CAM_1"),
                client.post().uri("/api/v1/devices").bodyValue("{\"device_id\":\"CAM_9\"}"),
                client.delete().uri("/api/v1/devices/CAM_1"))) {
            request.exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(registry, queries);
    }

    // --- registration

    @Test
    void registersADeviceAndShowsItsSecretOnceInSnakeCase() {
        when(registry.register("CAM_9", "Back yard", "alice", true))
                .thenReturn(Mono.just(new DeviceRegistry.Registered(
                        new Device("CAM_9", "Back yard", "alice", true, T0, T0, T0, null), "dsec_secret")));

        client.post()
                .uri("/api/v1/devices")
                .headers(h -> h.setBearerAuth(ADMIN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"device_id\":\"CAM_9\",\"name\":\"Back yard\",\"owner_id\":\"alice\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.mqtt_username")
                .isEqualTo("CAM_9")
                .jsonPath("$.mqtt_password")
                .isEqualTo("dsec_secret")
                .jsonPath("$.device.device_id")
                .isEqualTo("CAM_9")
                .jsonPath("$.device.owner_id")
                .isEqualTo("alice")
                .jsonPath("$.device.secret_issued_at")
                .isEqualTo("2025-07-11T14:30:22Z")
                .jsonPath("$.device.enabled")
                .isEqualTo(true);
    }

    @Test
    void namesTheDeviceAfterItsIdAndEnablesItUnlessToldOtherwise() {
        when(registry.register(anyString(), anyString(), any(), anyBoolean())).thenReturn(Mono.empty());

        register("{\"device_id\":\"CAM_9\"}");
        register("{\"device_id\":\"CAM_8\",\"enabled\":false}");

        verify(registry).register("CAM_9", "CAM_9", null, true);
        verify(registry).register("CAM_8", "CAM_8", null, false);
    }

    @Test
    void refusesARegistrationWithoutDeviceIdNamingIt() {
        assertThat(registrationProblem("{\"name\":\"Back yard\"}")).containsExactly("device_id");
        verifyNoInteractions(registry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "CAM 1", "CAM/1", "CAM:1", "+", "#", "ÄCAM"})
    void refusesADeviceIdThatCannotBeATopicLevelNamingIt(String id) {
        assertThat(registrationProblem("{\"device_id\":\"" + id + "\"}")).containsExactly("device_id");
        verifyNoInteractions(registry);
    }

    @Test
    void refusesADeviceIdLongerThan64Characters() {
        assertThat(registrationProblem("{\"device_id\":\"" + "C".repeat(65) + "\"}"))
                .containsExactly("device_id");
        verifyNoInteractions(registry);
    }

    @Test
    void refusesAnEmptyOrOverlongNameAndAnOwnerThatIsNoUserIdNamingThem() {
        assertThat(registrationProblem("{\"device_id\":\"CAM_9\",\"name\":\"\",\"owner_id\":\"al ice\"}"))
                .containsExactlyInAnyOrder("name", "owner_id");
        assertThat(registrationProblem("{\"device_id\":\"CAM_9\",\"name\":\"" + "n".repeat(201) + "\"}"))
                .containsExactly("name");
        verifyNoInteractions(registry);
    }

    @Test
    void refusesToRegisterTheBridgesOwnBrokerUsername() {
        assertThat(registrationProblem("{\"device_id\":\"device-bridge\"}")).containsExactly("device_id");
        verifyNoInteractions(registry);
    }

    @Test
    void answersAnIdAlreadyRegisteredWithA409Problem() {
        when(registry.register(eq("CAM_1"), anyString(), any(), anyBoolean())).thenReturn(Mono.empty());

        client.post()
                .uri("/api/v1/devices")
                .headers(h -> h.setBearerAuth(ADMIN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"device_id\":\"CAM_1\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("CAM_1"));
    }

    // --- changes

    @Test
    void changesOnlyTheFieldsSent() {
        when(registry.update(anyString(), any(), any(), any(), anyBoolean())).thenReturn(Mono.just(CAM_1));

        patch("CAM_1", "{\"enabled\":false}").expectStatus().isOk();
        patch("CAM_1", "{\"name\":\"Porch\",\"owner_id\":\"bob\"}")
                .expectStatus()
                .isOk();

        verify(registry).update("CAM_1", null, null, false, false);
        verify(registry).update("CAM_1", "Porch", "bob", null, false);
    }

    @Test
    void clearsTheOwnerOnAnExplicitNull() {
        when(registry.update(anyString(), any(), any(), any(), anyBoolean())).thenReturn(Mono.just(CAM_1));

        patch("CAM_1", "{\"owner_id\":null}").expectStatus().isOk();

        verify(registry).update("CAM_1", null, null, null, true);
    }

    @Test
    void refusesAnUnknownFieldNamingIt() {
        assertThat(ProblemFields.ofBadRequest(patch("CAM_1", "{\"device_id\":\"CAM_2\",\"enabled\":true}")))
                .containsExactly("device_id");
        verifyNoInteractions(registry);
    }

    @Test
    void refusesFieldsOfTheWrongTypeNamingEach() {
        assertThat(ProblemFields.ofBadRequest(
                        patch("CAM_1", "{\"name\":7,\"owner_id\":\"al ice\",\"enabled\":\"false\"}")))
                .containsExactlyInAnyOrder("name", "owner_id", "enabled");
        assertThat(ProblemFields.ofBadRequest(patch("CAM_1", "{\"name\":\"\",\"owner_id\":5,\"enabled\":null}")))
                .containsExactlyInAnyOrder("name", "owner_id", "enabled");
        verifyNoInteractions(registry);
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        assertThat(ProblemFields.ofBadRequest(patch("CAM_1", "[]"))).containsExactly("body");
        verifyNoInteractions(registry);
    }

    @Test
    void answersAChangeOrDeletionOfAnUnknownDeviceWithA404() {
        when(registry.update(anyString(), any(), any(), any(), anyBoolean())).thenReturn(Mono.empty());
        when(registry.delete("CAM_7")).thenReturn(Mono.just(false));
        when(registry.rotateSecret("CAM_7")).thenReturn(Mono.empty());

        patch("CAM_7", "{\"enabled\":true}").expectStatus().isNotFound();
        client.delete()
                .uri("/api/v1/devices/CAM_7")
                .headers(h -> h.setBearerAuth(ADMIN))
                .exchange()
                .expectStatus()
                .isNotFound();
        client.post()
                .uri("/api/v1/devices/CAM_7/secret")
                .headers(h -> h.setBearerAuth(ADMIN))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void deletesADeviceWith204AndRotatesASecret() {
        when(registry.delete("CAM_1")).thenReturn(Mono.just(true));
        when(registry.rotateSecret("CAM_1")).thenReturn(Mono.just(new DeviceRegistry.Registered(CAM_1, "dsec_new")));

        client.delete()
                .uri("/api/v1/devices/CAM_1")
                .headers(h -> h.setBearerAuth(ADMIN))
                .exchange()
                .expectStatus()
                .isNoContent();
        client.post()
                .uri("/api/v1/devices/CAM_1/secret")
                .headers(h -> h.setBearerAuth(ADMIN))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.mqtt_username")
                .isEqualTo("CAM_1")
                .jsonPath("$.mqtt_password")
                .isEqualTo("dsec_new");
    }

    // --- visibility

    @Test
    void showsADeviceToItsOwnerTheDevicesClaimTheWildcardAndAnAdmin() {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));
        when(queries.current("CAM_1")).thenReturn(Mono.empty());

        for (String token : List.of(ALICE, CAROL_WITH_CAM_1, DAVE_WITH_ALL_DEVICES, ADMIN)) {
            get("/api/v1/devices/CAM_1", token)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.device_id")
                    .isEqualTo("CAM_1");
        }
    }

    @Test
    void answersADeviceOthersMayNotSeeLikeOneThatDoesNotExist() {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));
        when(registry.find("CAM_7")).thenReturn(Mono.empty());

        for (String path : List.of(
                "/api/v1/devices/CAM_1",
                "/api/v1/devices/CAM_1/uploads",
                "/api/v1/devices/CAM_1/uploads/r1",
                "/api/v1/devices/CAM_1/statistics")) {
            get(path, BOB)
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        String hidden = get("/api/v1/devices/CAM_1", BOB)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String missing = get("/api/v1/devices/CAM_7", BOB)
                .expectStatus()
                .isNotFound()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(hidden.replace("CAM_1", "CAM_7")).isEqualTo(missing);
        verifyNoInteractions(queries);
    }

    @Test
    void listsAllDevicesForAnAdminOrTheWildcardAndOwnedOrNamedOnesForOthers() {
        when(queries.list(anyString(), any(), anyBoolean(), anyInt(), anyInt())).thenReturn(Flux.empty());

        get("/api/v1/devices", ADMIN).expectStatus().isOk();
        get("/api/v1/devices", DAVE_WITH_ALL_DEVICES).expectStatus().isOk();
        get("/api/v1/devices?limit=5&offset=10", CAROL_WITH_CAM_1)
                .expectStatus()
                .isOk();

        verify(queries).list(eq("root"), any(), eq(true), eq(100), eq(0));
        verify(queries).list(eq("dave"), any(), eq(true), eq(100), eq(0));
        verify(queries).list("carol", Set.of("CAM_1"), false, 5, 10);
    }

    @Test
    void showsTheCurrentUploadAndLastSeenInSnakeCase() {
        when(queries.list(anyString(), any(), anyBoolean(), anyInt(), anyInt())).thenReturn(Flux.just(CAM_1));
        when(queries.current("CAM_1")).thenReturn(Mono.just(upload("r1")));

        get("/api/v1/devices", ALICE)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.devices[0].device_id")
                .isEqualTo("CAM_1")
                .jsonPath("$.devices[0].last_seen_at")
                .isEqualTo("2025-07-11T14:31:22Z")
                .jsonPath("$.devices[0].created_at")
                .isEqualTo("2025-07-11T14:30:22Z")
                .jsonPath("$.devices[0].current_upload.request_id")
                .isEqualTo("r1")
                .jsonPath("$.devices[0].current_upload.cloud_file_path")
                .isEqualTo("CAM_1/2025/07/11/143022_motion_video.ts")
                .jsonPath("$.devices[0].current_upload.status")
                .isEqualTo("in_progress")
                .jsonPath("$.devices[0].current_upload.progress_percentage")
                .isEqualTo(45.2)
                .jsonPath("$.devices[0].current_upload.priority")
                .isEqualTo(2)
                .jsonPath("$.devices[0].currentUpload")
                .doesNotExist();
    }

    // --- parameters

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1"})
    void refusesAListLimitOutsideOneToAThousand(String limit) {
        assertThat(ProblemFields.ofBadRequest(get("/api/v1/devices?limit=" + limit, ALICE)))
                .containsExactly("limit");
        verifyNoInteractions(queries);
    }

    @Test
    void refusesANegativeOffset() {
        assertThat(ProblemFields.ofBadRequest(get("/api/v1/devices?offset=-1", ALICE)))
                .containsExactly("offset");
        verifyNoInteractions(queries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501"})
    void refusesAnUploadPageLimitOutsideOneToFiveHundred(String limit) {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));

        assertThat(ProblemFields.ofBadRequest(get("/api/v1/devices/CAM_1/uploads?limit=" + limit, ALICE)))
                .containsExactly("limit");
        verifyNoInteractions(queries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2025-07-11", "1691234567", "2025-07-11T14:30:22"})
    void refusesABeforeCursorThatIsNoRfc3339Time(String before) {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));

        assertThat(ProblemFields.ofBadRequest(get("/api/v1/devices/CAM_1/uploads?before=" + before, ALICE)))
                .containsExactly("before");
        verifyNoInteractions(queries);
    }

    @Test
    void pagesUploadsByTheirRequestTime() {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));
        when(queries.history(eq("CAM_1"), any(), eq(2))).thenReturn(Flux.just(upload("r2"), upload("r1")));
        when(queries.history(eq("CAM_1"), any(), eq(3))).thenReturn(Flux.just(upload("r2"), upload("r1")));

        get("/api/v1/devices/CAM_1/uploads?limit=2&before=2025-07-12T00:00:00Z", ALICE)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.uploads.length()")
                .isEqualTo(2)
                .jsonPath("$.next_before")
                .isEqualTo("2025-07-11T14:30:22Z");
        get("/api/v1/devices/CAM_1/uploads?limit=3", ALICE)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.next_before")
                .doesNotExist();

        verify(queries).history("CAM_1", Instant.parse("2025-07-12T00:00:00Z"), 2);
        verify(queries).history(eq("CAM_1"), isNull(), eq(3));
    }

    @Test
    void refusesAPathIdThatIsNoDeviceId() {
        assertThat(ProblemFields.ofBadRequest(get("/api/v1/devices/CAM 1", ADMIN)))
                .containsExactly("id");
        verifyNoInteractions(registry, queries);
    }

    @Test
    void answersSource001sStatisticsInSnakeCase() {
        when(registry.find("CAM_1")).thenReturn(Mono.just(CAM_1));
        when(queries.statistics("CAM_1")).thenReturn(Mono.just(new DeviceStatistics("CAM_1", 3, 2, 1, 0, 1024, 491)));

        get("/api/v1/devices/CAM_1/statistics", ALICE)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total_uploads")
                .isEqualTo(3)
                .jsonPath("$.successful_uploads")
                .isEqualTo(2)
                .jsonPath("$.average_speed_kbps")
                .isEqualTo(491);
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private WebTestClient.ResponseSpec patch(String id, String body) {
        return client.patch()
                .uri("/api/v1/devices/{id}", id)
                .headers(h -> h.setBearerAuth(ADMIN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private void register(String body) {
        client.post()
                .uri("/api/v1/devices")
                .headers(h -> h.setBearerAuth(ADMIN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private List<String> registrationProblem(String body) {
        return ProblemFields.ofBadRequest(client.post()
                .uri("/api/v1/devices")
                .headers(h -> h.setBearerAuth(ADMIN))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange());
    }

    private void expectForbidden(WebTestClient.RequestHeadersSpec<?> request) {
        request.headers(h -> {
                    h.setBearerAuth(ALICE);
                    h.setContentType(MediaType.APPLICATION_JSON);
                })
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static Upload upload(String requestId) {
        return new Upload(
                "CAM_1",
                requestId,
                "CAM_1/2025/07/11/143022_motion_video.ts",
                "CAM_1/2025/07/11/143022_motion_video.ts",
                "video/mp2t",
                15728640,
                Priority.HIGH,
                UploadState.IN_PROGRESS,
                "/sdcard/recordings/motion_20250711_143022.ts",
                null,
                false,
                null,
                null,
                T0.plusSeconds(3600),
                1,
                new BigDecimal("45.2"),
                7108608L,
                512,
                18,
                null,
                null,
                null,
                null,
                null,
                T0,
                T0.plusSeconds(5),
                null,
                T0.plusSeconds(10));
    }
}
