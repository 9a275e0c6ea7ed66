package dev.projectdashboard.devicebridge.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.localstack.LocalStackTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@link UploadRepository}'s batched inserts against the local stack's PostgreSQL, migrated by Flyway as in the
 * service: many uploads submitted at once share statements, and each still learns whether its row is the new one.
 * Each test works with devices of its own.
 */
@LocalStackTest
@DataR2dbcTest
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@Import(UploadRepository.class)
class UploadQueriesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Whole microseconds, as PostgreSQL's timestamptz keeps them. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    private UploadRepository uploads;

    private final String device =
            "Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Test
    void uploadsInsertedAtOnceAreEachStoredAndEachNew() {
        List<Upload> many = Flux.range(0, 120)
                .map(i -> upload(device + "_" + (i % 7), "r-" + i, "clip-" + i + ".ts"))
                .collectList()
                .block(WAIT);

        List<Boolean> inserted = Flux.fromIterable(many)
                .flatMapSequential(uploads::insert, 120)
                .collectList()
                .block(WAIT);

        assertThat(inserted).hasSize(120).containsOnly(true);
        for (Upload upload : many) {
            StepVerifier.create(uploads.find(upload.deviceId(), upload.requestId()))
                    .assertNext(stored -> {
                        assertThat(stored.objectKey()).isEqualTo(upload.objectKey());
                        assertThat(stored.response()).isEqualTo(upload.response());
                        assertThat(stored.urlExpiresAt()).isEqualTo(upload.urlExpiresAt());
                        assertThat(stored.contentMd5()).isNull();
                        assertThat(stored.requestCount()).isEqualTo(1);
                    })
                    .verifyComplete();
        }
    }

    @Test
    void aRequestInsertedManyTimesAtOnceIsNewExactlyOnceWithinABatchAndAcrossThem() {
        List<Boolean> inserted = Flux.range(0, 40)
                .flatMap(i -> uploads.insert(upload(device, "same", "clip-" + i + ".ts")), 40)
                .collectList()
                .block(WAIT);

        assertThat(inserted).hasSize(40).containsOnlyOnce(true);
        StepVerifier.create(uploads.find(device, "same"))
                .assertNext(stored -> assertThat(stored.fileName()).startsWith("clip-"))
                .verifyComplete();
        StepVerifier.create(uploads.insert(upload(device, "same", "later.ts")))
                .expectNext(false)
                .verifyComplete();
    }

    private static Upload upload(String deviceId, String requestId, String fileName) {
        String key = deviceId + "/2025/07/11/143022_" + fileName;
        return Upload.requested(
                deviceId,
                requestId,
                key,
                fileName,
                "video/mp2t",
                100,
                Priority.NORMAL,
                null,
                false,
                null,
                "{\"success\":true,\"cloud_file_path\":\"" + key + "\"}",
                NOW.plus(Duration.ofHours(1)),
                NOW);
    }
}
