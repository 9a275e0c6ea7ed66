package dev.projectdashboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.e2e.client.EventSocket;
import dev.projectdashboard.e2e.client.Gateway;
import dev.projectdashboard.e2e.client.Ids;
import dev.projectdashboard.e2e.suite.EndToEnd;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Flow 1: a browser uploads a scene file through the gateway; file-service → S3 → events:files → realtime → browser. */
@EndToEnd
class FileUploadEndToEndTests {

    @Test
    void aBrowserUploadReachesTheUsersWebSocketAndIsListedAndDownloadable(RunningSuite suite) {
        Gateway gateway = new Gateway(suite);
        String user = Ids.unique("e2e-uploader");
        String token = suite.userToken(user, List.of(), List.of());
        String task = Ids.unique("e2e-upload");
        byte[] scene = Ids.randomBytes(300_000);

        String objectKey;
        try (EventSocket browser = EventSocket.open(suite, token)) {
            browser.subscribe("user:" + user);

            Gateway.Answer uploaded = gateway.upload(task, "scene.blend", "application/octet-stream", scene, token);
            assertThat(uploaded.status()).as("upload: %s", uploaded).isEqualTo(200);
            objectKey = uploaded.body().path("object_key").asString();
            assertThat(objectKey).startsWith("scenes/").endsWith("/" + task + "/scene.blend");

            JsonNode frame = browser.await(
                    "file:uploaded",
                    f -> objectKey.equals(f.path("data").path("object_key").asString("")));
            JsonNode data = frame.path("data");
            assertThat(frame.path("type").asString()).isEqualTo("file.uploaded");
            assertThat(data.path("task_id").asString()).isEqualTo(task);
            assertThat(data.path("filename").asString()).isEqualTo("scene.blend");
            assertThat(data.path("size").asLong()).isEqualTo(scene.length);
            assertThat(data.path("user_id").asString()).isEqualTo(user);
        }

        Gateway.Answer listed = gateway.get("/api/v1/files?task_id=" + task, token);
        assertThat(listed.status()).as("list: %s", listed).isEqualTo(200);
        assertThat(listed.body().path("files").valueStream().map(f -> f.path("object_key")
                        .asString()))
                .containsExactly(objectKey);

        Gateway.Answer download = gateway.get("/api/v1/files/download/" + task + "/scene.blend", token);
        assertThat(download.status()).as("download: %s", download).isEqualTo(200);
        byte[] downloaded =
                gateway.fetch(URI.create(download.body().path("download_url").asString()));
        assertThat(downloaded).isEqualTo(scene);

        Gateway.Answer stranger = gateway.get(
                "/api/v1/files?task_id=" + task, suite.userToken(Ids.unique("e2e-stranger"), List.of(), List.of()));
        assertThat(stranger.status()).as("another user's listing").isEqualTo(404);
    }
}
