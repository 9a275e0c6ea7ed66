package dev.projectdashboard.devicebridge.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.domain.TopicAccess;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The broker's questions in EMQX 5's HTTP auth shape, with the decisions mocked: API key, request and answer bodies. */
@WebFluxTest(BrokerAuthController.class)
@DevelopmentSecrets
class BrokerAuthControllerTests {

    private static final String AUTH = "/internal/v1/mqtt/auth";
    private static final String ACL = "/internal/v1/mqtt/acl";

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private BrokerAccess access;

    @Test
    void refusesTheBrokerWithoutApiKey() {
        for (String path : List.of(AUTH, ACL)) {
            client.post()
                    .uri(path)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"clientid\":\"CAM_1\",\"username\":\"CAM_1\",\"password\":\"p\"}")
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(access);
    }

    @Test
    void refusesAWrongApiKeyAndEvenAnAdminsUserToken() {
        client.post()
                .uri(AUTH)
                .header("X-Api-Key", DevDefaults.API_KEY + "x")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"CAM_1\",\"password\":\"p\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client.post()
                .uri(AUTH)
                .headers(h -> h.setBearerAuth(DevTokens.adminToken("root")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"CAM_1\",\"password\":\"p\"}")
                .exchange()
                .expectStatus()
                // a user, even an admin, is known but no internal caller
                .isForbidden();
        verifyNoInteractions(access);
    }

    @Test
    void answersAnAllowedLoginWithItsAclInEmqxsShape() {
        when(access.login("CAM_1", "CAM_1", "dsec_x"))
                .thenReturn(Mono.just(new BrokerAccess.Decision(true, TopicAccess.forDevice("CAM_1"), "device")));

        answer(
                        AUTH,
                        "{\"clientid\":\"CAM_1\",\"username\":\"CAM_1\",\"password\":\"dsec_x\","
                                + "\"peerhost\":\"10.0.0.7\"}")
                .jsonPath("$.result")
                .isEqualTo("allow")
                .jsonPath("$.is_superuser")
                .isEqualTo(false)
                .jsonPath("$.acl.length()")
                .isEqualTo(3)
                .jsonPath("$.acl[0].permission")
                .isEqualTo("allow")
                .jsonPath("$.acl[0].action")
                .isEqualTo("publish")
                .jsonPath("$.acl[0].topic")
                .isEqualTo("devices/CAM_1/upload/request")
                .jsonPath("$.acl[2].action")
                .isEqualTo("subscribe")
                .jsonPath("$.acl[2].topic")
                .isEqualTo("devices/CAM_1/upload/response/#")
                .jsonPath("$.reason")
                .doesNotExist()
                .jsonPath("$.isSuperuser")
                .doesNotExist();
    }

    @Test
    void answersADeniedLoginWithoutAcl() {
        when(access.login(any(), any(), any()))
                .thenReturn(Mono.just(new BrokerAccess.Decision(false, List.of(), "no")));

        answer(AUTH, "{\"clientid\":\"CAM_1\",\"username\":\"CAM_1\",\"password\":\"wrong\"}")
                .jsonPath("$.result")
                .isEqualTo("deny")
                .jsonPath("$.is_superuser")
                .isEqualTo(false)
                .jsonPath("$.acl")
                .doesNotExist()
                .jsonPath("$.reason")
                .doesNotExist();
    }

    @Test
    void passesAnAnonymousLoginOnAsNulls() {
        when(access.login(any(), any(), any()))
                .thenReturn(Mono.just(new BrokerAccess.Decision(false, List.of(), "no")));

        answer(AUTH, "{\"clientid\":\"anon-1\"}").jsonPath("$.result").isEqualTo("deny");

        verify(access).login("anon-1", null, null);
    }

    @Test
    void answersAnAclQuestionWithAllowOrDeny() {
        when(access.mayUse("CAM_1", "publish", "devices/CAM_1/upload/request")).thenReturn(true);
        when(access.mayUse("CAM_1", "publish", "devices/CAM_2/upload/request")).thenReturn(false);

        acl("{\"clientid\":\"CAM_1\",\"username\":\"CAM_1\",\"topic\":\"devices/CAM_1/upload/request\","
                        + "\"action\":\"publish\"}")
                .jsonPath("$.result")
                .isEqualTo("allow");
        acl("{\"clientid\":\"CAM_1\",\"username\":\"CAM_1\",\"topic\":\"devices/CAM_2/upload/request\","
                        + "\"action\":\"publish\"}")
                .jsonPath("$.result")
                .isEqualTo("deny");
    }

    @Test
    void refusesAQuestionThatIsNotJsonWithA400Problem() {
        for (String path : List.of(AUTH, ACL)) {
            client.post()
                    .uri(path)
                    .header("X-Api-Key", DevDefaults.API_KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"username\":")
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(access);
    }

    private WebTestClient.BodyContentSpec acl(String body) {
        return answer(ACL, body);
    }

    /** The 200 answer to a question the broker asks with its API key. */
    private WebTestClient.BodyContentSpec answer(String path, String body) {
        return client.post()
                .uri(path)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }
}
