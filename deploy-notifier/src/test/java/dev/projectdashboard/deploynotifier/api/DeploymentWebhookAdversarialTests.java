package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.deploynotifier.ingest.WebhookAuthenticator;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile but correctly signed webhooks, replayed from a corpus: NUL characters in every text field, numbers beyond
 * their columns, times PostgreSQL cannot store, wrong JSON types, over-long strings, duplicate keys, nested garbage and
 * broken form encoding. Each is a 4xx problem naming what is wrong, and nothing is stored or published; GitHub's own
 * free texts are instead stored sanitised, and the answer says which.
 */
class DeploymentWebhookAdversarialTests extends DeployNotifierTestSupport {

    private static final String ADMIN = DevTokens.adminToken("root");

    /** Placeholder project and deployment id of a case; each case gets its own, so "nothing stored" is its own. */
    private static final String PROJECT = "adv-project";

    private static final String DEPLOYMENT = "777000111";

    private static final List<String> FAR_TIMES = List.of(
            "+999999999-12-31T23:59:59Z",
            "-5000-01-01T00:00:00Z",
            "0000-06-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "9999-12-31T23:59:59-01:00");

    /** The deployment webhook's payloads as sent (docs/contracts.md), with the pointers of their free-form fields. */
    private static final List<String> SOURCE_002 = List.of(
            "step_started",
            "step_completed",
            "deployment_completed",
            "log_entry",
            "log_batch",
            "metrics_update",
            "legacy",
            "test");

    private static final Set<String> FREE_FORM = Set.of("/metrics/status");

    /** One hostile request: what to send and which 4xx must name which field. */
    record Case(String name, String event, MediaType type, String body, HttpStatus status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ---- the corpus

    static Stream<Arguments> refusedDeploymentPayloads() {
        List<Case> cases = new ArrayList<>();
        for (String name : SOURCE_002) {
            String fixture = source002(name);
            for (String pointer : stringLeaves(JSON.readTree(fixture), "")) {
                if (FREE_FORM.contains(pointer)) {
                    continue;
                }
                String value = JSON.readTree(fixture).at(pointer).asString();
                cases.add(deployment(name + " NUL in " + pointer, fixture, pointer, quote(value + "\u0000")));
                cases.add(deployment(name + " NUL alone in " + pointer, fixture, pointer, quote("\u0000")));
            }
            for (String pointer : leaves(JSON.readTree(fixture), "")) {
                if (FREE_FORM.contains(pointer)) {
                    continue;
                }
                cases.add(deployment(name + " object in " + pointer, fixture, pointer, "{}"));
                cases.add(deployment(name + " array in " + pointer, fixture, pointer, "[\"x\"]"));
                cases.add(deployment(name + " boolean in " + pointer, fixture, pointer, "true"));
            }
        }
        // over-long strings, one past each column
        Map<String, Integer> lengths = ordered(
                "/project", 128,
                "/deployment_id", 128,
                "/step_name", 512,
                "/workflow_name", 255,
                "/workflow_id", 128,
                "/step_status", 32,
                "/timestamp", 64);
        lengths.forEach((pointer, max) -> cases.add(deployment(
                "step_started too long " + pointer, source002("step_started"), pointer, quote("x".repeat(max + 1)))));
        for (String pointer : List.of("/log_stream_id", "/source")) {
            cases.add(deployment(
                    "log_entry too long " + pointer, source002("log_entry"), pointer, quote("x".repeat(256))));
        }
        cases.add(deployment("log_entry too long /level", source002("log_entry"), "/level", quote("x".repeat(17))));
        cases.add(deployment(
                "log_entry too long /message", source002("log_entry"), "/message", quote("x".repeat(65_537))));
        cases.add(deployment(
                "step_started too long /logs", source002("step_started"), "/logs", quote("x".repeat(65_537))));
        cases.add(deployment(
                "log_batch too long /logs/0/source", source002("log_batch"), "/logs/0/source", quote("x".repeat(256))));
        // numbers beyond their columns, negative, exponents, textual
        String digits130 = "1" + "0".repeat(129);
        for (String number : List.of("1e30", "-1", "1e400", "2147483648", "-1e400", "\"45\"", "\"NaN\"")) {
            cases.add(deployment("duration " + number, source002("deployment_completed"), "/duration", number));
            cases.add(deployment(
                    "total_duration " + number, source002("metrics_update"), "/metrics/total_duration", number));
            cases.add(deployment("legacy duration " + number, source002("legacy"), "/duration", number));
        }
        for (String number : List.of("1e30", "-1", "1.5", "1e400", digits130, "\"5\"")) {
            cases.add(deployment("steps_count " + number, source002("metrics_update"), "/metrics/steps_count", number));
        }
        for (String number : List.of("1e30", "1.5", "-1e30", digits130)) {
            cases.add(deployment("deployment_id " + number, source002("step_started"), "/deployment_id", number));
            cases.add(deployment("workflow_id " + number, source002("step_started"), "/workflow_id", number));
        }
        // times PostgreSQL cannot store (or RFC 3339 cannot write)
        Map<String, List<String>> times = ordered(
                "step_started", List.of("/timestamp"),
                "deployment_completed", List.of("/timestamp", "/started_at", "/completed_at"),
                "log_entry", List.of("/timestamp"),
                "log_batch", List.of("/logs/0/timestamp"),
                "metrics_update", List.of("/timestamp", "/metrics/start_time", "/metrics/end_time"),
                "legacy", List.of("/timestamp"));
        times.forEach((name, pointers) -> {
            for (String pointer : pointers) {
                for (String time : FAR_TIMES) {
                    if (name.startsWith("log_") && !time.startsWith("+999") && !time.startsWith("-")) {
                        continue; // an unparseable line time is the arrival time (the contract's "..."), not an error
                    }
                    cases.add(deployment(name + " " + time + " in " + pointer, source002(name), pointer, quote(time)));
                }
            }
        });
        // duplicate keys: which one counts would depend on the parser; a signature covers both
        String stepStarted = source002("step_started");
        cases.add(new Case(
                "duplicate project",
                null,
                MediaType.APPLICATION_JSON,
                stepStarted.replaceFirst("\"project\"", "\"project\": \"other-project\", \"project\""),
                HttpStatus.BAD_REQUEST,
                "project"));
        cases.add(new Case(
                "duplicate nested key",
                null,
                MediaType.APPLICATION_JSON,
                source002("metrics_update").replaceFirst("\"steps_count\"", "\"steps_count\": 9, \"steps_count\""),
                HttpStatus.BAD_REQUEST,
                "metrics.steps_count"));
        // nested garbage
        cases.add(new Case(
                "deeply nested metrics",
                null,
                MediaType.APPLICATION_JSON,
                with(source002("metrics_update"), "/metrics/extra", "[".repeat(2_000) + "]".repeat(2_000)),
                HttpStatus.BAD_REQUEST,
                "nests deeper than allowed"));
        cases.add(deployment("object as duration", source002("deployment_completed"), "/duration", "{\"$gt\":0}"));
        cases.add(deployment("nested logs", source002("step_started"), "/logs", "[[[\"x\"]]]"));
        cases.add(deployment("scalar metrics", source002("metrics_update"), "/metrics", "\"fast\""));
        cases.add(deployment("array metrics", source002("metrics_update"), "/metrics", "[1,2]"));
        cases.add(deployment("object log lines", source002("log_batch"), "/logs", "{\"0\":{\"message\":\"x\"}}"));
        cases.add(deployment("scalar log lines", source002("log_batch"), "/logs/0", "\"line\""));
        return cases.stream().map(Arguments::of);
    }

    static Stream<Arguments> refusedGithubPayloads() {
        List<Case> cases = new ArrayList<>();
        Map<String, List<String>> read = ordered(
                "workflow_run.completed.success",
                List.of(
                        "/workflow_run/id",
                        "/workflow_run/name",
                        "/workflow_run/workflow_id",
                        "/workflow_run/status",
                        "/workflow_run/conclusion",
                        "/workflow_run/html_url",
                        "/workflow_run/run_started_at",
                        "/workflow_run/updated_at",
                        "/workflow_run/run_attempt",
                        "/repository/name"),
                "workflow_job.completed.failure",
                List.of(
                        "/workflow_job/run_id",
                        "/workflow_job/name",
                        "/workflow_job/workflow_name",
                        "/workflow_job/status",
                        "/workflow_job/conclusion",
                        "/workflow_job/started_at",
                        "/workflow_job/completed_at",
                        "/workflow_job/steps",
                        "/workflow_job/steps/1",
                        "/workflow_job/steps/1/name",
                        "/workflow_job/steps/1/status",
                        "/workflow_job/steps/1/conclusion",
                        "/workflow_job/steps/1/number",
                        "/workflow_job/steps/1/started_at",
                        "/workflow_job/steps/1/completed_at"),
                "workflow_job.in_progress",
                List.of("/workflow_job/runner_name", "/workflow_job/started_at"),
                "deployment_status.success",
                List.of(
                        "/deployment_status/state",
                        "/deployment_status/created_at",
                        "/deployment_status/log_url",
                        "/deployment/id",
                        "/deployment/environment",
                        "/workflow_run/id",
                        "/workflow_run/name",
                        "/workflow_run/workflow_id",
                        "/workflow_run/run_started_at"));
        read.forEach((fixture, pointers) -> {
            String event = fixture.substring(0, fixture.indexOf('.'));
            String body = github(fixture);
            for (String pointer : pointers) {
                if (pointer.endsWith("/steps/1")) {
                    cases.add(github("string in " + pointer + " of " + fixture, event, body, pointer, "\"step\""));
                } else {
                    cases.add(github("object in " + pointer + " of " + fixture, event, body, pointer, "{\"a\":1}"));
                }
                if (!pointer.endsWith("/steps")) {
                    cases.add(github("array in " + pointer + " of " + fixture, event, body, pointer, "[1]"));
                }
            }
        });
        // ids and numbers
        String digits130 = "1" + "0".repeat(129);
        for (String value : List.of("1e30", "1.5", digits130, "\"a b\"", "\"\"", "true")) {
            cases.add(github(
                    "run id " + value,
                    "workflow_run",
                    github("workflow_run.completed.success"),
                    "/workflow_run/id",
                    value));
            cases.add(github(
                    "job run_id " + value,
                    "workflow_job",
                    github("workflow_job.completed.failure"),
                    "/workflow_job/run_id",
                    value));
        }
        for (String value : List.of(digits130, "\"" + "9".repeat(129) + "\"", "true")) {
            cases.add(github(
                    "workflow_id " + value,
                    "workflow_run",
                    github("workflow_run.completed.success"),
                    "/workflow_run/workflow_id",
                    value));
        }
        for (String value : List.of("\"x\"", "1e30", "-1", "1.5", "\"1\"")) {
            cases.add(github(
                    "step number " + value,
                    "workflow_job",
                    github("workflow_job.completed.failure"),
                    "/workflow_job/steps/1/number",
                    value));
        }
        for (String value : List.of("\"x\"", "1e30", "-1")) {
            cases.add(github(
                    "run_attempt " + value,
                    "workflow_run",
                    github("workflow_run.completed.success"),
                    "/workflow_run/run_attempt",
                    value));
        }
        // times PostgreSQL cannot store, and ones that are no time
        Map<String, List<String>> times = ordered(
                "workflow_run.completed.success",
                List.of("/workflow_run/run_started_at", "/workflow_run/updated_at"),
                "workflow_job.completed.failure",
                List.of(
                        "/workflow_job/started_at",
                        "/workflow_job/completed_at",
                        "/workflow_job/steps/1/started_at",
                        "/workflow_job/steps/1/completed_at"),
                "deployment_status.success",
                List.of("/deployment_status/created_at", "/workflow_run/run_started_at"));
        times.forEach((fixture, pointers) -> {
            String event = fixture.substring(0, fixture.indexOf('.'));
            for (String pointer : pointers) {
                for (String time : FAR_TIMES) {
                    cases.add(github(time + " in " + pointer, event, github(fixture), pointer, quote(time)));
                }
                cases.add(github(
                        "NUL in " + pointer, event, github(fixture), pointer, quote("2024-06-03T08:15:08Z\u0000")));
            }
        });
        // identifiers are keys: refused, never cleaned into another project
        cases.add(github(
                "NUL in repository name",
                "workflow_run",
                github("workflow_run.completed.success"),
                "/repository/name",
                quote(PROJECT + "\u0000")));
        cases.add(github(
                "long repository name",
                "workflow_run",
                github("workflow_run.completed.success"),
                "/repository/name",
                quote("r".repeat(129))));
        ObjectNode run = (ObjectNode) JSON.readTree(github("workflow_run.completed.success"));
        run.remove("repository");
        String withoutRepository = JSON.writeValueAsString(run);
        cases.add(new Case(
                "duplicate repository name",
                "workflow_run",
                MediaType.APPLICATION_JSON,
                withoutRepository.substring(0, withoutRepository.length() - 1)
                        + ",\"repository\":{\"name\":\"other\",\"name\":\"" + PROJECT + "\"}}",
                HttpStatus.BAD_REQUEST,
                "repository.name"));
        // GitHub's form delivery (payload=<url-encoded JSON>) with broken encoding
        for (String form : List.of("payload=%zz", "payload=%7B%", "payload=%E4%B8", "payload=%7B%22a%22%3A%00%7D")) {
            cases.add(new Case(
                    "form " + form,
                    "workflow_run",
                    MediaType.APPLICATION_FORM_URLENCODED,
                    form,
                    HttpStatus.BAD_REQUEST,
                    "payload"));
        }
        return cases.stream().map(Arguments::of);
    }

    // ---- the tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedDeploymentPayloads")
    void aHostileDeploymentNotificationIsRefusedNamingTheFieldAndStoresNothing(Case hostile) {
        refusedStoringNothing(hostile, DEPLOYMENT_HOOK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedGithubPayloads")
    void aHostileGithubWebhookIsRefusedNamingTheFieldAndStoresNothing(Case hostile) {
        refusedStoringNothing(hostile, GITHUB_HOOK);
    }

    private void refusedStoringNothing(Case hostile, String hook) {
        String project = unique("adv");
        String deployment = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
        String body = hostile.body().replace(PROJECT, project).replace(DEPLOYMENT, deployment);

        JsonNode problem;
        try {
            problem = problem(send(hook, hostile.event(), hostile.type(), body), hostile.status());
        } catch (AssertionError wrongAnswer) {
            throw new AssertionError(hostile + ": " + wrongAnswer.getMessage(), wrongAnswer);
        }

        assertThat(named(problem, hostile.field()))
                .as("%s names %s: %s", hostile, hostile.field(), problem)
                .isTrue();
        assertThat(problem.toString())
                .as("%s leaks internals", hostile)
                .doesNotContain("StreamReadConstraints", "tools.jackson", "Exception", "at dev.");
        assertThat(storedRows(project, deployment))
                .as("rows stored for %s", hostile)
                .isZero();
        assertThat(published(deployment)).as("events published for %s", hostile).isZero();
    }

    /** Values at the edge of what is allowed: accepted, stored, and read back without error. */
    static Stream<Arguments> edgeValuesThatAreAllowed() {
        List<Case> cases = new ArrayList<>();
        for (String number : List.of("4.5e1", "0", "2147483647", "1e-7", "12.5000000001")) {
            cases.add(deployment("duration " + number, source002("deployment_completed"), "/duration", number));
        }
        for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1900-01-01T00:00:00+14:00")) {
            cases.add(deployment("timestamp " + time, source002("step_started"), "/timestamp", quote(time)));
            cases.add(deployment("started_at " + time, source002("deployment_completed"), "/started_at", quote(time)));
        }
        cases.add(deployment(
                "workflow_id of 128 digits", source002("step_started"), "/workflow_id", "1" + "0".repeat(127)));
        cases.add(deployment("step_name of 512", source002("step_started"), "/step_name", quote("名".repeat(512))));
        cases.add(deployment("logs of 64 KB", source002("step_started"), "/logs", quote("x".repeat(65_536))));
        cases.add(deployment(
                "a line time that is no time", source002("log_entry"), "/timestamp", quote("10000-01-01T00:00:00Z")));
        // a run GitHub says started in 1900: its duration (about 3.9e9 s) is derived, not sent, and fits its column
        cases.add(github(
                "1900-based duration",
                "workflow_run",
                github("workflow_run.completed.success"),
                "/workflow_run/run_started_at",
                quote("1900-01-01T00:00:00Z")));
        cases.add(github(
                "step number beyond an int",
                "workflow_job",
                github("workflow_job.completed.failure"),
                "/workflow_job/steps/1/number",
                "9999999999999"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeValuesThatAreAllowed")
    void aValueAtTheEdgeOfWhatIsAllowedIsStoredAndReadBack(Case edge) {
        String project = unique("edge");
        String deployment = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
        String body = edge.body().replace(PROJECT, project).replace(DEPLOYMENT, deployment);

        send(edge.event() == null ? DEPLOYMENT_HOOK : GITHUB_HOOK, edge.event(), edge.type(), body)
                .expectStatus()
                .isAccepted();

        JsonNode detail = getJson("/api/v1/deployments/" + deployment + "?project=" + project, ADMIN);
        assertThat(detail.path("project").asString()).isEqualTo(project);
        assertThat(getJson("/api/v1/deployments?project=" + project, ADMIN).path("items"))
                .hasSize(1);
        assertThat(getJson("/api/v1/projects/" + project + "/metrics?window=P366D", ADMIN)
                        .path("count")
                        .asLong())
                .isLessThanOrEqualTo(1);
    }

    @Test
    void aBodyThatStallsIs408AndStoresNothing() throws IOException {
        String project = unique("stall");
        String body = source002("log_entry").replace(PROJECT, project);
        byte[] bytes = bytes(body);
        try (Socket socket = new Socket("localhost", port)) {
            // far longer than the test context's body-timeout (3 s): the 408 is the server's doing
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + DEPLOYMENT_HOOK + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n"
                            + WebhookAuthenticator.SIGNATURE_HEADER + ": "
                            + WebhookAuthenticator.signatureHeader(SECRET, bytes) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();

            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 408");
        }
        assertThat(deliveries(project)).isZero();
    }

    // ---- helpers

    private WebTestClient.ResponseSpec send(String hook, String event, MediaType type, String body) {
        return client.post()
                .uri(hook)
                .contentType(type)
                .headers(headers -> {
                    if (event != null) {
                        headers.set("X-GitHub-Event", event);
                        headers.set("X-GitHub-Delivery", UUID.randomUUID().toString());
                    }
                    headers.set(
                            WebhookAuthenticator.SIGNATURE_HEADER,
                            WebhookAuthenticator.signatureHeader(SECRET, bytes(body)));
                })
                .bodyValue(bytes(body))
                .exchange();
    }

    /** Whether the problem names the field (or a path inside it) in its {@code errors}, or else in its detail. */
    private static boolean named(JsonNode problem, String field) {
        for (JsonNode error : problem.path("errors")) {
            String named = error.path("field").asString();
            if (named.equals(field) || named.startsWith(field + ".") || named.startsWith(field + "[")) {
                return true;
            }
        }
        return problem.path("detail").asString().contains(field);
    }

    private long storedRows(String project, String deployment) {
        return database.sql("select (select count(*) from webhook_delivery where project = :project"
                        + " or deployment_id = :deployment) + (select count(*) from deployment where project = :project"
                        + " or deployment_id = :deployment)")
                .bind("project", project)
                .bind("deployment", deployment)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    private static long published(String deployment) {
        return streamEntriesMentioning(deployment);
    }

    /** A deployment webhook payload with one value replaced, refused with a 400 naming it. */
    private static Case deployment(String name, String fixture, String pointer, String rawValue) {
        return github(name, null, fixture, pointer, rawValue);
    }

    /** A webhook (GitHub's when {@code event} is given) with one value replaced, refused with a 400 naming it. */
    private static Case github(String name, String event, String fixture, String pointer, String rawValue) {
        return new Case(
                name,
                event,
                MediaType.APPLICATION_JSON,
                with(fixture, pointer, rawValue),
                HttpStatus.BAD_REQUEST,
                path(pointer));
    }

    static String source002(String name) {
        String fixture = name.equals("step_completed")
                ? DeploymentWebhookTests.payload("step_started", PROJECT, DEPLOYMENT)
                        .replace("\"step_started\"", "\"step_completed\"")
                        .replace("\"step_status\": \"started\"", "\"step_status\": \"completed\"")
                : DeploymentWebhookTests.payload(name, PROJECT, DEPLOYMENT);
        return name.equals("test") ? fixture.replace("\"test\"}", "\"" + PROJECT + "\"}") : fixture;
    }

    static String github(String name) {
        try (InputStream in =
                DeploymentWebhookAdversarialTests.class.getResourceAsStream("/github/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"axi-star-cloud\"", "\"" + PROJECT + "\"")
                    .replace("9876543210", DEPLOYMENT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON with the value at {@code pointer} replaced by (or set to) the raw JSON text given. */
    static String with(String json, String pointer, String rawValue) {
        JsonNode root = JSON.readTree(json);
        String parentPointer = pointer.substring(0, pointer.lastIndexOf('/'));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        JsonNode parent = parentPointer.isEmpty() ? root : root.at(parentPointer);
        String marker = "@@raw-" + MARKERS.incrementAndGet() + "@@";
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), marker);
        } else {
            ((ObjectNode) parent).put(last, marker);
        }
        return JSON.writeValueAsString(root).replace("\"" + marker + "\"", rawValue);
    }

    private static final AtomicInteger MARKERS = new AtomicInteger();

    /** A map in the order written, so the corpus (and each case's index) is the same in every run. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }

    /** {@code /logs/0/message} as the problem names it: {@code logs[0].message}. */
    static String path(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.substring(1).split("/")) {
            if (segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(segment);
            }
        }
        return path.toString();
    }

    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    /** Pointers of every string value. */
    static List<String> stringLeaves(JsonNode node, String pointer) {
        return leaves(node, pointer).stream()
                .filter(leaf -> node.at(leaf.substring(pointer.length())).isString())
                .toList();
    }

    /** Pointers of every scalar value. */
    static List<String> leaves(JsonNode node, String pointer) {
        List<String> leaves = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                leaves.addAll(leaves(entry.getValue(), pointer + "/" + entry.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves.addAll(leaves(node.get(i), pointer + "/" + i));
            }
        } else {
            leaves.add(pointer);
        }
        return leaves;
    }
}
