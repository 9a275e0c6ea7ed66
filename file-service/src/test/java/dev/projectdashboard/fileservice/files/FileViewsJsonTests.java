package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.test.json.JacksonTester;
import org.springframework.boot.test.json.JsonContent;

/** The views as the wire shows them: snake_case names of docs/contracts.md (Files), instants as ISO-8601 text. */
@JsonTest
class FileViewsJsonTests {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Autowired
    private JacksonTester<FileViews.Uploaded> uploaded;

    @Autowired
    private JacksonTester<FileViews.DownloadUrl> downloadUrl;

    @Autowired
    private JacksonTester<FileViews.UploadUrl> uploadUrl;

    @Autowired
    private JacksonTester<FileViews.TaskFiles> taskFiles;

    @Test
    void anUploadAnswerCarriesTheContractsFields() throws Exception {
        JsonContent<FileViews.Uploaded> json = uploaded.write(new FileViews.Uploaded(
                "a.ma",
                "scenes/20260102/t1/a.ma",
                "https://cdn.example/scenes/20260102/t1/a.ma",
                3,
                "text/plain",
                "ab12",
                "t1",
                "scene",
                AT,
                "File uploaded successfully"));

        assertThat(json).extractingJsonPathStringValue("$.filename").isEqualTo("a.ma");
        assertThat(json).extractingJsonPathStringValue("$.object_key").isEqualTo("scenes/20260102/t1/a.ma");
        assertThat(json)
                .extractingJsonPathStringValue("$.url")
                .isEqualTo("https://cdn.example/scenes/20260102/t1/a.ma");
        assertThat(json).extractingJsonPathNumberValue("$.size").isEqualTo(3);
        assertThat(json).extractingJsonPathStringValue("$.content_type").isEqualTo("text/plain");
        assertThat(json).extractingJsonPathStringValue("$.checksum_sha256").isEqualTo("ab12");
        assertThat(json).extractingJsonPathStringValue("$.uploaded_at").isEqualTo("2026-01-02T03:04:05Z");
        assertThat(json).extractingJsonPathStringValue("$.message").isEqualTo("File uploaded successfully");
    }

    @Test
    void aDownloadAnswerCarriesTheContractsFields() throws Exception {
        JsonContent<FileViews.DownloadUrl> json = downloadUrl.write(
                new FileViews.DownloadUrl("https://s3/x?sig", "a.ma", "scenes/20260102/t1/a.ma", 3600, AT));

        assertThat(json).extractingJsonPathStringValue("$.download_url").isEqualTo("https://s3/x?sig");
        assertThat(json).extractingJsonPathStringValue("$.filename").isEqualTo("a.ma");
        assertThat(json).extractingJsonPathStringValue("$.object_key").isEqualTo("scenes/20260102/t1/a.ma");
        assertThat(json).extractingJsonPathNumberValue("$.expires_in").isEqualTo(3600);
        assertThat(json).extractingJsonPathStringValue("$.expires_at").isEqualTo("2026-01-02T03:04:05Z");
    }

    @Test
    void anUploadUrlAnswerCarriesTheContractsFieldsAndItsHeadersAsSent() throws Exception {
        JsonContent<FileViews.UploadUrl> json = uploadUrl.write(new FileViews.UploadUrl(
                "https://s3/y?sig",
                "scenes/20260102/t1/a.ma",
                "a.ma",
                600,
                AT,
                "PUT",
                Map.of("Content-Type", "application/octet-stream")));

        assertThat(json).extractingJsonPathStringValue("$.upload_url").isEqualTo("https://s3/y?sig");
        assertThat(json).extractingJsonPathStringValue("$.object_key").isEqualTo("scenes/20260102/t1/a.ma");
        assertThat(json).extractingJsonPathNumberValue("$.expires_in").isEqualTo(600);
        assertThat(json).extractingJsonPathStringValue("$.method").isEqualTo("PUT");
        // header names are HTTP's, not JSON properties: the naming strategy leaves map keys alone
        assertThat(json)
                .extractingJsonPathStringValue("$.headers['Content-Type']")
                .isEqualTo("application/octet-stream");
    }

    @Test
    void aListCountsItsFiles() throws Exception {
        JsonContent<FileViews.TaskFiles> json = taskFiles.write(new FileViews.TaskFiles(
                "t1",
                1,
                List.of(new FileViews.Listed(
                        "results/20260102/t1/o.png", "o.png", "result", 9, "image/png", null, AT))));

        assertThat(json).extractingJsonPathStringValue("$.task_id").isEqualTo("t1");
        assertThat(json).extractingJsonPathNumberValue("$.count").isEqualTo(1);
        assertThat(json).extractingJsonPathStringValue("$.files[0].kind").isEqualTo("result");
        assertThat(json).extractingJsonPathStringValue("$.files[0].uploaded_at").isEqualTo("2026-01-02T03:04:05Z");
    }
}
