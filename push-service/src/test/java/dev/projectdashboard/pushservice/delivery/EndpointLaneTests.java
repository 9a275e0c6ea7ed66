package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The per-endpoint lane with work whose end the test decides and a clock the test moves. */
class EndpointLaneTests {

    private final AtomicLong nanos = new AtomicLong();

    private final List<String> started = new ArrayList<>();

    private Sinks.One<String> work(String name, List<Mono<String>> into) {
        Sinks.One<String> end = Sinks.one();
        into.add(Mono.defer(() -> {
            started.add(name);
            return end.asMono();
        }));
        return end;
    }

    @Test
    void runsUpToItsLimitAtOnceAndStartsTheNextInArrivalOrderWhenOneEnds() {
        EndpointLane lane = new EndpointLane(2, 10, TimeUnit.SECONDS.toNanos(10), nanos::get);
        List<Mono<String>> works = new ArrayList<>();
        Sinks.One<String> a = work("a", works);
        Sinks.One<String> b = work("b", works);
        work("c", works);
        work("d", works);
        List<String> answers = new ArrayList<>();
        works.forEach(work -> lane.run(work).subscribe(answers::add));

        assertThat(started).containsExactly("a", "b");
        assertThat(lane.inFlight()).isEqualTo(2);
        assertThat(lane.waiting()).isEqualTo(2);

        b.tryEmitValue("b done");
        assertThat(started).containsExactly("a", "b", "c");
        a.tryEmitError(new IllegalStateException("a failed"));
        assertThat(started).containsExactly("a", "b", "c", "d");
        assertThat(answers).containsExactly("b done");
        assertThat(lane.inFlight()).isEqualTo(2);
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void aFullQueueRefusesWithoutStartingTheWork() {
        EndpointLane lane = new EndpointLane(1, 1, TimeUnit.SECONDS.toNanos(10), nanos::get);
        List<Mono<String>> works = new ArrayList<>();
        work("running", works);
        work("waiting", works);
        work("refused", works);
        lane.run(works.get(0)).subscribe();
        lane.run(works.get(1)).subscribe();

        StepVerifier.create(lane.run(works.get(2)))
                .expectError(EndpointLane.Full.class)
                .verify();
        assertThat(started).containsExactly("running");
        assertThat(lane.waiting()).isEqualTo(1);
    }

    @Test
    void workThatWaitedTooLongIsAnsweredExpiredAndTheNextFreshOneStarts() {
        EndpointLane lane = new EndpointLane(1, 10, TimeUnit.SECONDS.toNanos(10), nanos::get);
        List<Mono<String>> works = new ArrayList<>();
        Sinks.One<String> running = work("running", works);
        work("old", works);
        work("fresh", works);
        lane.run(works.get(0)).subscribe();
        List<Throwable> oldErrors = new ArrayList<>();
        lane.run(works.get(1)).subscribe(value -> {}, oldErrors::add);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(8));
        lane.run(works.get(2)).subscribe();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));

        running.tryEmitValue("done");

        assertThat(oldErrors).singleElement().isInstanceOf(EndpointLane.Expired.class);
        assertThat(started).containsExactly("running", "fresh");
        assertThat(lane.inFlight()).isEqualTo(1);
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void cancellingAWaitingOneTakesItOutAndCancellingARunningOneFreesItsPlace() {
        EndpointLane lane = new EndpointLane(1, 10, TimeUnit.SECONDS.toNanos(10), nanos::get);
        List<Mono<String>> works = new ArrayList<>();
        work("running", works);
        work("cancelled", works);
        work("next", works);
        Disposable running = lane.run(works.get(0)).subscribe();
        Disposable cancelled = lane.run(works.get(1)).subscribe();
        lane.run(works.get(2)).subscribe();

        cancelled.dispose();
        assertThat(lane.waiting()).isEqualTo(1);
        running.dispose();

        assertThat(started).containsExactly("running", "next");
        assertThat(lane.inFlight()).isEqualTo(1);
    }
}
