package dev.projectdashboard.starter.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.StarterWebTests;
import dev.projectdashboard.starter.security.DevTokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class ProblemHandlingTests extends StarterWebTests {

    private final String token = DevTokens.userToken("alice", List.of("viewer"));

    @Test
    void invalidBodyListsEveryField() {
        post("/api/items", "{\"name\":\" \",\"quantity\":0}")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.title")
                .isEqualTo("Bad Request")
                .jsonPath("$.instance")
                .isEqualTo("/api/items")
                .jsonPath("$.errors.length()")
                .isEqualTo(2)
                .jsonPath("$.errors[?(@.field == 'name')].message")
                .isEqualTo(List.of("must not be blank"))
                .jsonPath("$.errors[?(@.field == 'quantity')].message")
                .isEqualTo(List.of("must be greater than or equal to 1"));
    }

    @Test
    void constraintViolationsFromFunctionalEndpointListEveryField() {
        post("/fn/items", "{\"name\":\"\",\"quantity\":11}")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("name")
                .jsonPath("$.errors[0].message")
                .isEqualTo("must not be blank")
                .jsonPath("$.errors[1].field")
                .isEqualTo("quantity")
                .jsonPath("$.errors[1].message")
                .isEqualTo("must be less than or equal to 10");
    }

    @Test
    void unreadableJsonIsBadRequest() {
        post("/api/items", "{\"name\":")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).doesNotContain("tools.jackson"));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        post("/api/items", "{\"name\":\"x\",\"quantity\":\"many\"}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("quantity");
    }

    @Test
    void missingQueryParameterIsListed() {
        get("/api/items")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("page_size")
                .jsonPath("$.errors[0].message")
                .isEqualTo("is required");
    }

    @Test
    void wrongQueryParameterTypeIsListed() {
        get("/api/items?page_size=abc")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("page_size")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).doesNotContain("java."));
    }

    @Test
    void constrainedQueryParameterIsListed() {
        get("/api/items?page_size=0")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("page_size")
                .jsonPath("$.errors[0].message")
                .isEqualTo("must be greater than or equal to 1");
    }

    @Test
    void unknownPathIsNotFoundProblem() {
        get("/api/nothing-here")
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.title")
                .isEqualTo("Not Found")
                .jsonPath("$.instance")
                .isEqualTo("/api/nothing-here");
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithAllowHeader() {
        client.delete()
                .uri("/api/items")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists(HttpHeaders.ALLOW)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(405);
    }

    @Test
    void unsupportedContentTypeIsProblem() {
        client.post()
                .uri("/api/items")
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("name=x")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(415);
    }

    @Test
    void oversizedBodyIsContentTooLarge() {
        String huge = "{\"name\":\"" + "x".repeat(400 * 1024) + "\",\"quantity\":1}";
        post("/api/items", huge)
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void controllerFailureIsGenericServerError() {
        expectGenericServerError(get("/api/boom"), "controller secret detail");
    }

    @Test
    void functionalEndpointFailureIsGenericServerError() {
        expectGenericServerError(get("/fn/boom"), "functional secret detail");
    }

    @Test
    void problemExceptionKeepsStatusDetailAndMembers() {
        get("/api/conflict")
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The item already exists.")
                .jsonPath("$.item")
                .isEqualTo("x");
    }

    @Test
    void problemExceptionFromFunctionalEndpoint() {
        get("/fn/gone")
                .expectStatus()
                .isEqualTo(410)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("It is gone.");
    }

    @Test
    void publicFunctionalEndpointNeedsNoToken() {
        client.get().uri("/fn/hello").exchange().expectStatus().isOk();
    }

    private void expectGenericServerError(WebTestClient.ResponseSpec response, String secret) {
        byte[] body = response.expectStatus()
                .is5xxServerError()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(500)
                .jsonPath("$.correlation_id")
                .value(id -> assertThat((String) id).isNotBlank())
                .jsonPath("$.detail")
                .isEqualTo(ProblemMapper.SERVER_ERROR_DETAIL)
                .returnResult()
                .getResponseBody();
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text)
                .doesNotContain(secret)
                .doesNotContain("IllegalStateException")
                .doesNotContain("trace")
                .doesNotContain("at dev.");
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private WebTestClient.ResponseSpec post(String path, String json) {
        return client.post()
                .uri(path)
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }
}
