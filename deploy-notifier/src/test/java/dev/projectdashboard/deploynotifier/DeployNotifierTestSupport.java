package dev.projectdashboard.deploynotifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.ingest.WebhookAuthenticator;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.test.StreamContents;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.DevDefaults;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One Spring context for the API tests, against the local stack; helpers to sign webhooks and look into the stores. */
@LocalStackTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dashboard.deploy.project-secrets.own-secret-project=project-own-secret",
            "dashboard.deploy.tokens=ci-token-1,ci-token-2",
            // room for a workflow_job of max-job-steps (1,000) steps and for 64 KB texts one past their limit
            "dashboard.deploy.max-payload-size=512KB",
            "dashboard.deploy.body-timeout=3s",
            "dashboard.deploy.relay-interval=500ms",
            "dashboard.deploy.relay-after=2s"
        })
@AutoConfigureWebTestClient(timeout = "PT30S")
public abstract class DeployNotifierTestSupport {

    protected static final String SECRET = DevDefaults.DEPLOY_WEBHOOK_SECRET;
    protected static final String DEPLOYMENT_HOOK = "/api/webhooks/deployment";
    protected static final String GITHUB_HOOK = "/api/webhooks/github";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected WebTestClient client;

    @Autowired
    protected DatabaseClient database;

    @LocalServerPort
    protected int port;

    protected static LocalStack stack() {
        return LocalStackExtension.localStack();
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Posts a body signed with the dev secret, as bytes exactly as given. */
    protected WebTestClient.ResponseSpec postSigned(String path, String body) {
        return post(path, body, WebhookAuthenticator.signatureHeader(SECRET, bytes(body)));
    }

    protected WebTestClient.ResponseSpec post(String path, String body, String signature) {
        return client.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (signature != null) {
                        headers.set(WebhookAuthenticator.SIGNATURE_HEADER, signature);
                    }
                })
                .bodyValue(bytes(body))
                .exchange();
    }

    /** The JSON answer of a webhook that must be a 202. */
    protected static JsonNode accepted(WebTestClient.ResponseSpec response) {
        return JSON.readTree(
                response.expectStatus().isAccepted().expectBody().returnResult().getResponseBody());
    }

    /** A repeated delivery's answer: {@code duplicate} and, whatever the repeat's body said, the first one's fields. */
    protected static void answeredAsTheFirst(
            JsonNode again, JsonNode first, String type, String project, String deploymentId, int events) {
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(again.path("type").asString()).isEqualTo(type);
        assertThat(again.path("project").asString()).isEqualTo(project);
        assertThat(again.path("deployment_id").asString()).isEqualTo(deploymentId);
        assertThat(again.path("events").asInt()).isEqualTo(events);
    }

    protected static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A 200 answer of the query API for this token, as JSON. */
    protected JsonNode getJson(String path, String token) {
        return JSON.readTree(getText(path, token));
    }

    /** A 200 answer of the query API for this token, as the JSON text it is written in. */
    protected String getText(String path, String token) {
        return new String(
                client.get()
                        .uri(path)
                        .headers(headers -> headers.setBearerAuth(token))
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .returnResult()
                        .getResponseBody(),
                StandardCharsets.UTF_8);
    }

    /** Events on {@code events:deployments} whose data names this deployment, oldest first. */
    protected static List<JsonNode> streamEvents(String deploymentId) {
        return streamEventTexts(deploymentId).stream().map(JSON::readTree).toList();
    }

    /** The same events as the JSON text they are written in on the stream. */
    protected static List<String> streamEventTexts(String deploymentId) {
        return StreamContents.texts(Streams.DEPLOYMENTS).stream()
                .filter(event -> deploymentId.equals(
                        JSON.readTree(event).path("data").path("deployment_id").asString()))
                .toList();
    }

    /** How many entries of {@code events:deployments} mention the text anywhere (a cheap scan, for unique ids). */
    protected static long streamEntriesMentioning(String text) {
        return StreamContents.texts(Streams.DEPLOYMENTS).stream()
                .filter(event -> event.contains(text))
                .count();
    }

    protected long count(String table, String project) {
        return database.sql("select count(*) from " + table + " where project = :project")
                .bind("project", project)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    protected long deliveries(String project) {
        return count("webhook_delivery", project);
    }
}
