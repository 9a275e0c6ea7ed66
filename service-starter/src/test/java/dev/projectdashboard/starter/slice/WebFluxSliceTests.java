package dev.projectdashboard.starter.slice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.ProblemFields;
import dev.projectdashboard.starter.testapp.StarterTestApplication;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A service's {@code @WebFluxTest} slice gets the same security and problem JSON as the running service. */
@WebFluxTest
@ContextConfiguration(classes = StarterTestApplication.class)
class WebFluxSliceTests {

    @Autowired
    WebTestClient client;

    @Test
    void sliceVerifiesUserTokens() {
        client.get()
                .uri("/api/me")
                .headers(h -> h.setBearerAuth(DevTokens.userToken("alice", List.of())))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.user_id")
                .isEqualTo("alice");
    }

    @Test
    void sliceAnswersProblemJson() {
        client.get()
                .uri("/api/me")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void bodyViolationsNameTheFieldsTheClientSent() {
        List<String> fields = ProblemFields.ofBadRequest(client.post()
                .uri("/api/shipments")
                .headers(h -> h.setBearerAuth(DevTokens.userToken("alice", List.of())))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"device_id\":\" \",\"items\":[{\"file_name\":\"a.jpg\"},{\"file_name\":\"\"}]}")
                .exchange());

        assertThat(fields).containsExactlyInAnyOrder("device_id", "items[1].file_name");
    }
}
