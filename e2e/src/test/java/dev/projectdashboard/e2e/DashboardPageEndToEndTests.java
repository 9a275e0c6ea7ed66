package dev.projectdashboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.e2e.browser.BrowserExtension;
import dev.projectdashboard.e2e.browser.DashboardPage;
import dev.projectdashboard.e2e.client.Camera;
import dev.projectdashboard.e2e.client.Gateway;
import dev.projectdashboard.e2e.client.GithubWebhooks;
import dev.projectdashboard.e2e.client.Ids;
import dev.projectdashboard.e2e.client.Tasks;
import dev.projectdashboard.e2e.client.WebhookSink;
import dev.projectdashboard.e2e.suite.EndToEnd;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * Flow 5: the dashboard page in a real headless Chromium, through the gateway. Each test opens the page with a token,
 * waits until it is connected, then causes one of the flows from outside (GitHub, a camera, a backend, another
 * client) or through the page's own form, and watches it appear without a reload. Screenshots:
 * {@code e2e/target/screenshots/}.
 */
@EndToEnd
@ExtendWith(BrowserExtension.class)
class DashboardPageEndToEndTests {

    private final RunningSuite suite;
    private final DashboardPage page;
    private final Gateway gateway;
    private final String user = Ids.unique("e2e-browser");

    DashboardPageEndToEndTests(RunningSuite suite, WebDriver browser) {
        this.suite = suite;
        this.page = new DashboardPage(browser, suite);
        this.gateway = new Gateway(suite);
    }

    @Test
    void signingInWithATokenConnectsThePage() {
        page.signIn(suite.userToken(user, List.of("*"), List.of("*")));

        for (String section : List.of("deployments", "devices", "tasks", "files")) {
            assertThat(page.browser().findElement(By.id(section)).isDisplayed())
                    .as("#%s shown", section)
                    .isTrue();
        }
    }

    @Test
    void aGithubWorkflowsStepsAppearLiveUnderItsDeployment() {
        GithubWebhooks github = new GithubWebhooks(gateway, suite.webhookSecret());
        String repository = Ids.unique("e2e-page-repo");
        long run = Ids.runId();
        // the project exists before the page opens, as a project the dashboard already lists would
        assertThat(github.workflowRun(repository, run, "in_progress", null).status())
                .isEqualTo(202);
        page.open(suite.adminToken(user));

        assertThat(github.workflowJob(repository, run, "deploy", "in_progress", List.of())
                        .status())
                .isEqualTo(202);
        WebElement deployment = page.awaitElement(
                "the deployment of run " + run,
                By.cssSelector("[data-deployment-id='" + run + "'][data-project='" + repository + "']"));
        page.awaitAttribute(
                By.cssSelector("[data-deployment-id='" + run + "'] [data-step='deploy']"), "data-status", "started");

        assertThat(github.workflowJob(repository, run, "deploy", "completed", List.of("Build", "Upload"))
                        .status())
                .isEqualTo(202);
        assertThat(github.workflowRun(repository, run, "completed", "success").status())
                .isEqualTo(202);
        for (String step : List.of("deploy / Build", "deploy / Upload", "deploy")) {
            page.awaitAttribute(
                    By.cssSelector("[data-deployment-id='" + run + "'] [data-step='" + step + "']"),
                    "data-status",
                    "completed");
        }
        assertThat(deployment.isDisplayed()).isTrue();
        page.awaitToast(repository, Long.toString(run));
        page.assertNotReloaded();
    }

    @Test
    void aCamerasUploadProgressIsDrawnUnderItsDevice() throws Exception {
        String admin = suite.adminToken(user);
        String device = Ids.unique("E2E_PAGE_CAM");
        String secret = Camera.register(gateway, admin, device, "Back door");
        page.open(admin);
        page.awaitElement("the registered device", By.cssSelector("[data-device-id='" + device + "']"));

        byte[] recording = Ids.randomBytes(100_000);
        String cloudPath = device + "/2025/07/11/143022_motion_video.ts";
        try (Camera camera = Camera.connect(suite, device, secret)) {
            JsonNode answer = camera.requestUpload(Ids.unique("upload"), cloudPath, recording.length);
            assertThat(answer.path("success").asBoolean())
                    .as("answer %s", answer)
                    .isTrue();
            assertThat(Camera.putRecording(gateway, answer, recording)).isEqualTo(200);
            camera.uploadStarted(cloudPath, recording.length);
            camera.uploadProgress(35, 35_000, recording.length);
            By upload = By.cssSelector("[data-device-id='" + device + "'] [data-upload-id]");
            WebElement active = page.awaitElement("the device's active upload", upload);
            page.await("progress 35 drawn", b -> DashboardPage.progressOf(b.findElement(upload)) == 35);
            assertThat(DashboardPage.progressMaxOf(active)).isEqualTo(100);

            camera.uploadProgress(80, 80_000, recording.length);
            page.await("progress 80 drawn", b -> DashboardPage.progressOf(b.findElement(upload)) == 80);
        }
        page.assertNotReloaded();
    }

    @Test
    void aTasksProgressCompletionAndWebhookDeliveryAppearLive() {
        String admin = suite.adminToken(user);
        String task = Ids.unique("e2e-page-task");
        Tasks tasks = new Tasks(gateway);
        try (WebhookSink sink = WebhookSink.start()) {
            Tasks.registerWebhook(gateway, admin, task, sink.url("/hook"));
            page.open(admin);

            tasks.progress(task, user, 30);
            By row = By.cssSelector("#tasks [data-task-id='" + task + "']");
            WebElement shown = page.awaitElement("the task's row", row);
            page.await("progress 30 drawn", b -> DashboardPage.progressOf(b.findElement(row)) == 30);
            assertThat(DashboardPage.progressMaxOf(shown)).isEqualTo(100);

            tasks.completed(task, user);
            page.awaitAttribute(row, "data-status", "completed");
            page.awaitToast(task);
            sink.await(received -> received.path().equals("/hook"), Duration.ofSeconds(30));
            page.awaitElement(
                    "the webhook delivery",
                    By.cssSelector("#webhook-activity [data-task-id='" + task + "'][data-outcome='delivered']"));
        }
        page.assertNotReloaded();
    }

    @Test
    void aFileUploadedThroughThePageIsListedAndOneUploadedElsewhereAppearsLive() throws Exception {
        String token = suite.userToken(user, List.of(), List.of());
        String task = Ids.unique("e2e-page-upload");
        Path scene = Files.createTempFile("scene-", ".zip");
        Files.write(scene, Ids.randomBytes(150_000));
        page.open(token);

        page.browser().findElement(By.id("upload-task-id")).sendKeys(task);
        page.browser()
                .findElement(By.id("file-input"))
                .sendKeys(scene.toAbsolutePath().toString());
        page.browser().findElement(By.id("upload-button")).click();
        String filename = scene.getFileName().toString();
        WebElement listed = page.awaitElement(
                "the uploaded file in #files-list",
                By.cssSelector("#files-list [data-object-key$='/" + task + "/" + filename + "']"));
        assertThat(listed.getText()).contains(filename);
        // the link becomes file-service's presigned URL: what it serves is what the browser read from disk
        WebElement link = listed.findElement(By.tagName("a"));
        String href = page.await(
                "a presigned download link",
                b -> link.getDomProperty("href").contains("X-Amz-Signature") ? link.getDomProperty("href") : null);
        assertThat(gateway.fetch(URI.create(href))).isEqualTo(Files.readAllBytes(scene));
        page.await(
                "#upload-progress at 100",
                b -> DashboardPage.progressOf(b.findElement(By.id("upload-progress"))) == 100);

        Gateway.Answer stored = gateway.get("/api/v1/files?task_id=" + task, token);
        assertThat(stored.body().path("files").valueStream().map(f -> f.path("object_key")
                        .asString()))
                .as("what file-service stored for the page's upload")
                .containsExactly(listed.getDomAttribute("data-object-key"));

        Gateway.Answer elsewhere =
                gateway.upload(task, "notes.txt", "text/plain", "render notes".getBytes(StandardCharsets.UTF_8), token);
        assertThat(elsewhere.status())
                .as("upload from another client: %s", elsewhere)
                .isEqualTo(200);
        page.awaitElement(
                "the file uploaded by another client",
                By.cssSelector("#files-list [data-object-key='"
                        + elsewhere.body().path("object_key").asString() + "']"));
        page.assertNotReloaded();
    }
}
