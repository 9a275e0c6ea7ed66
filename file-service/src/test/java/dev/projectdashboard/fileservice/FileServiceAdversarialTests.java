package dev.projectdashboard.fileservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Hostile and careless input to every file-service endpoint, as an adversarial probe sends it: each must be a 4xx
 * problem JSON that says what is wrong, and leave nothing behind (no object, no row) — never a 5xx.
 */
class FileServiceAdversarialTests extends FileServiceTestSupport {

    private static final String ALICE = DevTokens.userToken("alice", List.of("user"));
    private static final String TASK = "adversarial-task";

    /** One request: {@code path} may contain {@code {task}}, replaced by a fresh task id per case. */
    record Case(String name, HttpMethod method, String path, String contentType, byte[] body, boolean internal) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // upload-url: every parameter wrong in every way
        for (String query : List.of(
                "filename=a.ma",
                "task_id=&filename=a.ma",
                "task_id={task}",
                "task_id={task}&filename=",
                "task_id={task}&filename=%00.ma",
                "task_id={task}&filename=a%0A.ma",
                "task_id={task}&filename=.",
                "task_id={task}&filename=..",
                "task_id={task}&filename=a%2Fb",
                "task_id={task}&filename=" + "x".repeat(300),
                "task_id=" + "t".repeat(65) + "&filename=a.ma",
                "task_id=a:b&filename=a.ma",
                "task_id={task}&filename=a.ma&size=abc",
                "task_id={task}&filename=a.ma&size=-1",
                "task_id={task}&filename=a.ma&size=1e30",
                "task_id={task}&filename=a.ma&size=99999999999999999999999",
                "task_id={task}&filename=a.ma&size=999999999999",
                "task_id={task}&filename=a.ma&expire_time=0",
                "task_id={task}&filename=a.ma&expire_time=-5",
                "task_id={task}&filename=a.ma&expire_time=604801",
                "task_id={task}&filename=a.ma&expire_time=1.5",
                "task_id={task}&filename=a.ma&expire_time=99999999999999999999",
                "task_id={task}&filename=a.ma&kind=evil",
                "task_id={task}&filename=a.ma&content_type=application/x-msdownload",
                "task_id={task}&filename=a.ma&content_type=not%20a%20type",
                "task_id={task}&filename=a.ma&content_type=%00")) {
            cases.add(new Case(
                    "upload-url?" + query, HttpMethod.POST, "/api/v1/files/upload-url?" + query, null, null, false));
        }
        // download / info / delete / list / confirm with bad names and keys
        for (String path : List.of(
                "/api/v1/files/download/{task}/a%00.ma",
                "/api/v1/files/download/{task}/..",
                "/api/v1/files/download/{task}/a.ma?expire_time=0",
                "/api/v1/files/download/{task}/a.ma?expire_time=abc",
                "/api/v1/files/download/{task}/a.ma?kind=evil",
                "/api/v1/files/download/bad:task/a.ma",
                "/api/v1/files/info/scenes/..%2F..%2Fetc/passwd",
                "/api/v1/files/info/scenes//x",
                "/api/v1/files/info/scenes/%00",
                "/api/v1/files/info?object_key=",
                "/api/v1/files/info?object_key=/abs",
                "/api/v1/files/info?object_key=" + "k/".repeat(600),
                "/api/v1/files?task_id=",
                "/api/v1/files?task_id=%00",
                "/api/v1/files")) {
            cases.add(new Case("GET " + path, HttpMethod.GET, path, null, null, false));
        }
        cases.add(new Case("DELETE ..", HttpMethod.DELETE, "/api/v1/files/scenes/../x", null, null, false));
        cases.add(new Case("DELETE empty key", HttpMethod.DELETE, "/api/v1/files?object_key=", null, null, false));
        cases.add(new Case(
                "confirm bad key", HttpMethod.POST, "/api/v1/files/confirm?object_key=nope", null, null, false));
        cases.add(new Case("confirm no key", HttpMethod.POST, "/api/v1/files/confirm", null, null, false));
        // multipart uploads that are not what they say
        String boundary = "adversarial-boundary";
        MediaType multipart = MediaType.parseMediaType("multipart/form-data; boundary=" + boundary);
        for (String body : List.of(
                "",
                "garbage",
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno filename\r\n--"
                        + boundary + "--\r\n",
                "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000.ma\"\r\n\r\nx\r\n--"
                        + boundary + "--\r\n",
                "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.ma\"\r\n\r\nnever ends",
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" + boundary
                        + "--\r\n",
                // a part without any header line (found by MultipartScannerFuzzTests: a 500)
                "--" + boundary + "\r\n\r\nx\r\n--" + boundary + "--\r\n")) {
            cases.add(new Case(
                    "upload " + body.length() + " bytes: " + abbreviate(body),
                    HttpMethod.POST,
                    "/api/v1/files/upload?task_id={task}",
                    multipart.toString(),
                    bytes(body),
                    false));
        }
        cases.add(new Case(
                "upload without boundary",
                HttpMethod.POST,
                "/api/v1/files/upload?task_id={task}",
                "multipart/form-data",
                bytes("x"),
                false));
        // the internal device API: JSON with wrong types, duplicate keys, NUL, huge numbers, nesting, paths as
        // file_name / object_key that climb out, belong to another device or carry a NUL
        for (String json : List.of(
                "{}",
                "[]",
                "null",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":\"x\"}",
                "{\"device_id\":{},\"file_name\":\"a.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":[],\"file_size\":1}",
                "{\"device_id\":\"CAM\\u0000\",\"file_name\":\"a.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a\\u0000.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":-1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1e30}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":99999999999999999999999}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1,\"expire_time\":0}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1,\"content_md5\":\"zz\"}",
                "{\"device_id\":\"CAM_1\",\"device_id\":\"CAM_2\",\"file_name\":\"a.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"CAM_1/2026/01/01/000000_/../../x.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"CAM_2/2026/01/01/000000_a.ts\",\"file_size\":1}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1,"
                        + "\"object_key\":\"CAM_1/2026/01/01/000000_a\\u0000.ts\"}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1,\"multipart\":\"yes\"}",
                "{\"device_id\":\"CAM_1\",\"file_name\":\"a.ts\",\"file_size\":1," + "[".repeat(2000) + "]".repeat(2000)
                        + "}",
                "{\"device_id\":\"CAM_1\"")) {
            cases.add(new Case(
                    "device " + abbreviate(json),
                    HttpMethod.POST,
                    "/internal/v1/device-uploads",
                    MediaType.APPLICATION_JSON_VALUE,
                    bytes(json),
                    true));
        }
        cases.add(new Case(
                "device form body",
                HttpMethod.POST,
                "/internal/v1/device-uploads",
                MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                bytes("device_id=CAM_1"),
                true));
        for (String query : List.of(
                "object_key=CAM_1/2026/01/01/000000_a.ts&upload_id=&file_size=1",
                "object_key=../x&upload_id=u&file_size=1",
                "object_key=CAM_1/2026/01/01/000000_a.ts&upload_id=u&file_size=abc",
                "object_key=CAM_1/2026/01/01/000000_a.ts&upload_id=u&file_size=-1")) {
            cases.add(new Case(
                    "parts?" + query, HttpMethod.GET, "/internal/v1/device-uploads/parts?" + query, null, null, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersHostileInputWithA4xxProblemAndStoresNothing(Case hostile) {
        String task = newTaskId();
        String path = hostile.path().replace("{task}", task);
        EntityExchangeResult<byte[]> result = client.method(hostile.method())
                // exactly as written (percent-encoded where the case wants it), not re-encoded by a URI builder
                .uri(URI.create("http://localhost:" + port + path))
                .headers(headers -> {
                    if (hostile.internal()) {
                        headers.set("X-Api-Key", DevDefaults.API_KEY);
                    } else {
                        headers.setBearerAuth(ALICE);
                    }
                    if (hostile.contentType() != null) {
                        headers.set("Content-Type", hostile.contentType());
                    }
                })
                .bodyValue(hostile.body() == null ? new byte[0] : hostile.body())
                .exchange()
                .expectBody()
                .returnResult();

        String body =
                result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
        assertThat(result.getStatus().is4xxClientError())
                .as("%s answered %s: %s", hostile, result.getStatus(), body)
                .isTrue();
        assertThat(result.getResponseHeaders().getContentType())
                .as("%s answered %s", hostile, body)
                .isNotNull()
                .satisfies(type -> assertThat(type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                        .isTrue());
        assertThat(body).doesNotContain("Exception", "at dev.", "tools.jackson", "StreamReadConstraints");
        assertThat(objectKeys("")).noneMatch(key -> key.contains(task));
        assertThat(liveRows(task)).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
    }
}
