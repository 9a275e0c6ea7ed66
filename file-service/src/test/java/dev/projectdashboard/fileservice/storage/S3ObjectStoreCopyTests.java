package dev.projectdashboard.fileservice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Server-side copies, as recording a file PUT through an upload URL makes them, against the local S3 server. */
class S3ObjectStoreCopyTests extends FileServiceTestSupport {

    @Autowired
    private S3ObjectStore store;

    @Test
    void copiesAnObjectLargerThanOneCopyInPartsWithItsTypeAndMetadata() {
        byte[] content = randomBytes(12 * 1024 * 1024 + 7, 40);
        String from = "incoming/copy-test/" + newTaskId() + ".bin";
        String to = "scenes/20260101/" + newTaskId() + "/copied.bin";
        s3().putObject(put -> put.bucket(stack().s3Bucket()).key(from), RequestBody.fromBytes(content));

        // limits lowered so a 12 MiB object takes the path objects above 5 GiB take: three parts of 5 MiB at most
        long part = 5L * 1024 * 1024;
        store.copy(from, to, content.length, "video/mp4", Map.of("task-id", "t1"), part, part)
                .block(Duration.ofSeconds(60));

        byte[] copied = s3().getObjectAsBytes(
                        get -> get.bucket(stack().s3Bucket()).key(to))
                .asByteArray();
        assertThat(sha256(copied)).isEqualTo(sha256(content));
        HeadObjectResponse head =
                s3().headObject(h -> h.bucket(stack().s3Bucket()).key(to));
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.metadata()).containsEntry("task-id", "t1");
    }

    @Test
    void copiesASmallObjectInOneCall() {
        byte[] content = randomBytes(1000, 41);
        String from = "incoming/copy-test/" + newTaskId() + ".bin";
        String to = "scenes/20260101/" + newTaskId() + "/one.bin";
        s3().putObject(put -> put.bucket(stack().s3Bucket()).key(from), RequestBody.fromBytes(content));

        store.copy(from, to, content.length, "application/octet-stream", Map.of())
                .block(Duration.ofSeconds(30));

        assertThat(s3().getObjectAsBytes(get -> get.bucket(stack().s3Bucket()).key(to))
                        .asByteArray())
                .isEqualTo(content);
    }
}
