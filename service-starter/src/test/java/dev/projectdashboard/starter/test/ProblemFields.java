package dev.projectdashboard.starter.test;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** For tests of request validation: the fields a 400 problem JSON names in its {@code errors}. */
public final class ProblemFields {

    private ProblemFields() {}

    /**
     * @param response an exchange that must have been answered with a 400 problem JSON
     * @return the {@code field} of each of its {@code errors}, in their order
     */
    public static List<String> ofBadRequest(WebTestClient.ResponseSpec response) {
        JsonNode problem = response.expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        if (problem == null) {
            throw new AssertionError("The 400 has no body");
        }
        return problem.path("errors")
                .valueStream()
                .map(error -> error.path("field").asString())
                .toList();
    }
}
