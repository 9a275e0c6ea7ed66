package dev.projectdashboard.bench.pushservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class ArrivalsTests {

    private static final long MS = 1_000_000;

    @Test
    void countsFirstArrivalsPerSinkAndRepeatsAsDuplicates() {
        Arrivals arrivals = new Arrivals(1, 3, 2, Duration.ofSeconds(10));
        arrivals.publishing(0, 1_000 * MS);
        arrivals.publishing(1, 1_001 * MS);

        arrivals.arrived(0, 0, 1_003 * MS);
        arrivals.arrived(1, 0, 1_004 * MS);
        arrivals.arrived(1, 0, 1_005 * MS);
        arrivals.arrived(0, 1, 1_011 * MS);

        assertThat(arrivals.expected()).isEqualTo(4);
        assertThat(arrivals.delivered()).isEqualTo(3);
        assertThat(arrivals.duplicates()).isEqualTo(1);
        assertThat(arrivals.lost()).as("event 1 never reached sink 1").isEqualTo(1);
        assertThat(arrivals.complete()).isFalse();
        assertThat(arrivals.takeLatencies().getMaxValue()).isBetween(9_990L, 10_010L);
    }

    @Test
    void lateArrivalsAreLostButRecorded() {
        Arrivals arrivals = new Arrivals(1, 1, 1, Duration.ofSeconds(10));
        arrivals.publishing(0, 0);

        arrivals.arrived(0, 0, Duration.ofSeconds(11).toNanos());

        assertThat(arrivals.delivered()).isEqualTo(1);
        assertThat(arrivals.late()).isEqualTo(1);
        assertThat(arrivals.lost()).isEqualTo(1);
        assertThat(arrivals.complete()).isTrue();
        assertThat(arrivals.takeLatencies().getTotalCount()).isEqualTo(1);
    }

    @Test
    void arrivalsNamingNoPublishedEventAreUnknown() {
        Arrivals arrivals = new Arrivals(1, 2, 1, Duration.ofSeconds(10));
        arrivals.publishing(0, 5);

        arrivals.arrived(0, 1, 10);
        arrivals.arrived(0, 7, 10);
        arrivals.arrived(3, 0, 10);

        assertThat(arrivals.unknownArrivals()).isEqualTo(3);
        assertThat(arrivals.delivered()).isZero();
    }

    @Test
    void failedPublicationsAreNotExpected() {
        Arrivals arrivals = new Arrivals(1, 2, 4, Duration.ofSeconds(10));
        arrivals.publishing(0, 5);
        arrivals.publishing(1, 6);
        arrivals.publishFailed(1);

        assertThat(arrivals.published()).isEqualTo(2);
        assertThat(arrivals.expected()).isEqualTo(4);
    }

    @Test
    void onlyArrivalsInsideTheWindowCountForTheRate() {
        Arrivals arrivals = new Arrivals(1, 3, 1, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            arrivals.publishing(i, 1);
        }
        arrivals.openWindow(100);
        arrivals.closeWindow(200);

        arrivals.arrived(0, 0, 50);
        arrivals.arrived(0, 1, 150);
        arrivals.arrived(0, 2, 250);

        assertThat(arrivals.deliveredInWindow()).isEqualTo(1);
        assertThat(arrivals.delivered()).isEqualTo(3);
        assertThat(arrivals.lastArrivalNanos()).isEqualTo(250);
    }

    @Test
    void releasesAPermitOnceAnEventReachedEverySink() {
        Arrivals arrivals = new Arrivals(1, 1, 2, Duration.ofSeconds(10));
        Semaphore outstanding = new Semaphore(0);
        arrivals.completeInto(outstanding);
        arrivals.publishing(0, 1);

        arrivals.arrived(0, 0, 2);
        assertThat(outstanding.availablePermits()).isZero();
        arrivals.arrived(0, 0, 3);
        assertThat(outstanding.availablePermits())
                .as("a duplicate completes nothing")
                .isZero();
        arrivals.arrived(1, 0, 4);
        assertThat(outstanding.availablePermits()).isEqualTo(1);
    }

    @Test
    void tellsTheWorstLatencyBySecondOfPublication() {
        long second = 1_000_000_000L;
        Arrivals arrivals = new Arrivals(1, 3, 1, Duration.ofSeconds(30));
        arrivals.publishing(0, 10 * second);
        arrivals.publishing(1, 11 * second);
        arrivals.publishing(2, 15 * second);

        arrivals.arrived(0, 0, 10 * second + 90 * MS);
        arrivals.arrived(0, 1, 11 * second + 5 * MS);
        arrivals.arrived(0, 2, 15 * second + 7 * MS);

        assertThat(arrivals.worstMicros(0, 3)).isEqualTo(90_000);
        assertThat(arrivals.worstMicros(3, Integer.MAX_VALUE)).isEqualTo(7_000);
        assertThat(arrivals.worstMicros(1, 2)).isEqualTo(5_000);
        assertThat(arrivals.worstMicros(6, 9)).isZero();
    }
}
