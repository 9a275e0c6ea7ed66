package dev.projectdashboard.fileservice.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.domain.PendingUpload;
import dev.projectdashboard.localstack.LocalStackTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import reactor.test.StepVerifier;

/**
 * The queries of {@link FileRepository} and {@link PendingUploadRepository} against the local stack's PostgreSQL,
 * migrated by Flyway as in the service, without the web, S3 or the event bus. Each test works in a task of its own.
 */
@LocalStackTest
@DataR2dbcTest
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@Import({FileRepository.class, PendingUploadRepository.class})
class FileQueriesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Whole microseconds, as PostgreSQL's timestamptz keeps them. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    private FileRepository files;

    @Autowired
    private PendingUploadRepository pending;

    private final String task =
            "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);

    @Test
    void aRecordedFileIsReadBackLiveByKeyByNameAndInItsTasksList() {
        FileRecord file = file("a.ma", "alice", NOW);
        files.insert(file).block(WAIT);

        StepVerifier.create(files.findLive(file.objectKey()))
                .expectNext(file)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.findLive(task, "a.ma", FileKind.SCENE))
                .expectNext(file)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.findLive(task, "a.ma", FileKind.RESULT))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.listLive(task))
                .expectNext(file)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aSecondLiveRowOfTheSameKeyIsRefused() {
        FileRecord file = file("b.ma", "alice", NOW);
        files.insert(file).block(WAIT);

        StepVerifier.create(files.insert(file("b.ma", "bob", NOW)))
                .expectError(DataIntegrityViolationException.class)
                .verify(WAIT);
    }

    @Test
    void aDeletedFileIsNoLongerLiveAndItsKeyCanBeUsedAgain() {
        FileRecord file = file("c.ma", "alice", NOW);
        files.insert(file).block(WAIT);

        StepVerifier.create(files.markDeleted(file.objectKey(), NOW.plusSeconds(1)))
                .expectNext(true)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.markDeleted(file.objectKey(), NOW.plusSeconds(2)))
                .expectNext(false)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.findLive(file.objectKey())).expectComplete().verify(WAIT);
        StepVerifier.create(files.insert(file("c.ma", "bob", NOW.plusSeconds(3))))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void theTaskBelongsToTheUploaderOfItsEarliestLiveFile() {
        files.insert(file("late.ma", "bob", NOW.plusSeconds(10))).block(WAIT);
        files.insert(file("early.ma", "alice", NOW)).block(WAIT);

        StepVerifier.create(files.taskOwner(task))
                .expectNext("alice")
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.taskOwner(task + "-none")).expectComplete().verify(WAIT);
    }

    @Test
    void aTaskWithoutFilesBelongsToWhoeverHoldsItsEarliestValidUploadUrl() {
        pending.insert(upload("d.ma", "carol", NOW), NOW.plusSeconds(60)).block(WAIT);

        StepVerifier.create(files.taskOwner(task))
                .expectNext("carol")
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pending.awaitingKey(key("d.ma")).map(PendingUpload::issuedBy))
                .expectNext("carol")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aDueUploadIsLeasedToOneSweepUntilItsLeaseRunsOut() {
        pending.insert(upload("e.ma", "carol", NOW), NOW.minusSeconds(1)).block(WAIT);
        Instant leaseEnd = NOW.plusSeconds(60);

        StepVerifier.create(pending.leaseDue(NOW, leaseEnd, 100_000)
                        .filter(upload -> upload.taskId().equals(task))
                        .map(PendingUpload::fileName))
                .expectNext("e.ma")
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pending.leaseDue(NOW.plusSeconds(1), leaseEnd, 100_000)
                        .filter(upload -> upload.taskId().equals(task)))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pending.leaseDue(leaseEnd.plusSeconds(1), leaseEnd.plusSeconds(60), 100_000)
                        .filter(upload -> upload.taskId().equals(task))
                        .map(PendingUpload::fileName))
                .expectNext("e.ma")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void claimingAnUploadRecordsItsFileOnceAndMarksItRecorded() {
        PendingUpload upload = upload("f.ma", "carol", NOW);
        pending.insert(upload, NOW.plusSeconds(60)).block(WAIT);

        StepVerifier.create(pending.claim(upload.stagingKey(), "text/plain", 5, "etag-1", NOW, NOW.plusSeconds(60)))
                .assertNext(file -> {
                    assertThat(file.objectKey()).isEqualTo(key("f.ma"));
                    assertThat(file.sizeBytes()).isEqualTo(5);
                    assertThat(file.uploadedBy()).isEqualTo("carol");
                })
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pending.claim(upload.stagingKey(), "text/plain", 5, "etag-1", NOW, NOW.plusSeconds(60)))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(files.findLive(key("f.ma")).map(FileRecord::etag))
                .expectNext("etag-1")
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(pending.awaitingKey(key("f.ma"))).expectComplete().verify(WAIT);
    }

    private String key(String name) {
        return "scenes/20260101/" + task + "/" + name;
    }

    private FileRecord file(String name, String user, Instant at) {
        return new FileRecord(
                key(name), FileKind.SCENE, "scenes", task, name, "text/plain", 3, "etag", "sha", user, at);
    }

    private PendingUpload upload(String name, String user, Instant at) {
        return new PendingUpload(
                "staging/" + UUID.randomUUID() + "/" + name,
                key(name),
                FileKind.SCENE,
                "scenes",
                task,
                name,
                "text/plain",
                null,
                user,
                false,
                at,
                at.plus(Duration.ofHours(1)),
                null,
                null);
    }
}
