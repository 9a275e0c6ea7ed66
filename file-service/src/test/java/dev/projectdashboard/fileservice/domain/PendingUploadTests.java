package dev.projectdashboard.fileservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rules that decide what becomes of an upload URL, without a store or a database. */
class PendingUploadTests {

    private static final Instant ISSUED = Instant.parse("2026-01-01T10:00:00Z");

    private static final Instant EXPIRES = ISSUED.plus(Duration.ofHours(1));

    private static final Duration GRACE = Duration.ofMinutes(10);

    private final PendingUpload upload = upload("incoming/ab12/a.ma");

    @Test
    void theUrlExpiresWhenItsLifetimeIsOver() {
        assertThat(upload.expiredAt(EXPIRES)).isFalse();
        assertThat(upload.expiredAt(EXPIRES.plusSeconds(1))).isTrue();
    }

    @Test
    void aUrlWithoutItsObjectIsForgottenOnlyAfterTheGracePeriod() {
        assertThat(upload.forgottenAt(EXPIRES.plusSeconds(1), GRACE)).isFalse();
        assertThat(upload.forgottenAt(EXPIRES.plus(GRACE), GRACE)).isFalse();
        assertThat(upload.forgottenAt(EXPIRES.plus(GRACE).plusSeconds(1), GRACE))
                .isTrue();
        assertThat(upload.cleanupAt(GRACE)).isEqualTo(EXPIRES.plus(GRACE));
    }

    @Test
    void aUrlWritingTheFilesOwnKeyNeedsNoCopy() {
        assertThat(upload.inPlace()).isFalse();
        assertThat(upload("scenes/20260101/t1/a.ma").inPlace()).isTrue();
    }

    @Test
    void itsOutcomesAndTriggersAreMetricTags() {
        assertThat(PendingUpload.Outcome.ALREADY_RECORDED.tag()).isEqualTo("already_recorded");
        assertThat(PendingUpload.Trigger.SWEEP.tag()).isEqualTo("sweep");
    }

    private static PendingUpload upload(String stagingKey) {
        return new PendingUpload(
                stagingKey,
                "scenes/20260101/t1/a.ma",
                FileKind.SCENE,
                "scenes",
                "t1",
                "a.ma",
                "text/plain",
                null,
                "alice",
                false,
                ISSUED,
                EXPIRES,
                null,
                null);
    }
}
