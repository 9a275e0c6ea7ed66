package dev.projectdashboard.devicebridge.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.devicebridge.domain.Priority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The bridge's priority queue with jobs whose completion the test triggers: on {@link Schedulers#immediate()} a job
 * starts within the call that frees its slot, so the order of starts is exactly the queue's order.
 */
class RequestQueueTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Names of the jobs in the order they were started, and of those dropped. */
    private final List<String> started = new ArrayList<>();

    private final List<String> overflowed = new ArrayList<>();

    @Test
    void runsAtMostConcurrencyJobsAtOnce() {
        RequestQueue queue = queue(10, 2);
        TestJob a = job("a", Priority.NORMAL);
        TestJob b = job("b", Priority.NORMAL);
        TestJob c = job("c", Priority.NORMAL);

        queue.offer(a);
        queue.offer(b);
        queue.offer(c);

        assertThat(started).containsExactly("a", "b");
        assertThat(queue.running()).isEqualTo(2);
        assertThat(queue.waiting()).isEqualTo(1);

        b.complete();

        assertThat(started).containsExactly("a", "b", "c");
        assertThat(queue.running()).isEqualTo(2);
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void startsTheHighestPriorityFirstAndInArrivalOrderWithinOne() {
        RequestQueue queue = queue(10, 1);
        TestJob blocker = job("blocker", Priority.LOW);
        queue.offer(blocker);
        List<TestJob> waiting = List.of(
                job("low-1", Priority.LOW),
                job("normal-1", Priority.NORMAL),
                job("low-2", Priority.LOW),
                job("urgent-1", Priority.URGENT),
                job("high-1", Priority.HIGH),
                job("normal-2", Priority.NORMAL),
                job("urgent-2", Priority.URGENT));
        waiting.forEach(queue::offer);
        assertThat(started).containsExactly("blocker");

        blocker.complete();
        // each job, once started, completes and hands its slot on
        for (int i = 0; i < waiting.size(); i++) {
            jobNamed(waiting, started.get(started.size() - 1)).complete();
        }

        assertThat(started)
                .containsExactly("blocker", "urgent-1", "urgent-2", "high-1", "normal-1", "normal-2", "low-1", "low-2");
        assertThat(overflowed).isEmpty();
        assertThat(queue.running()).isZero();
    }

    @Test
    void dropsTheNewestOfTheLowestPriorityWhenAHigherOneArrivesAtAFullQueue() {
        RequestQueue queue = queue(3, 1);
        TestJob running = job("running", Priority.LOW);
        queue.offer(running);
        queue.offer(job("low-1", Priority.LOW));
        queue.offer(job("low-2", Priority.LOW));
        queue.offer(job("normal-1", Priority.NORMAL));

        queue.offer(job("urgent", Priority.URGENT));

        assertThat(overflowed).containsExactly("low-2");
        assertThat(queue.waiting()).isEqualTo(3);

        queue.offer(job("high", Priority.HIGH));

        assertThat(overflowed).containsExactly("low-2", "low-1");
        assertThat(queue.waiting()).isEqualTo(3);

        running.complete();

        assertThat(started).containsExactly("running", "urgent");
    }

    @Test
    void refusesANewcomerThatRanksNoHigherThanTheLowestWaitingAtAFullQueue() {
        RequestQueue queue = queue(2, 1);
        queue.offer(job("running", Priority.URGENT));
        queue.offer(job("normal", Priority.NORMAL));
        queue.offer(job("high", Priority.HIGH));

        queue.offer(job("same", Priority.NORMAL));
        queue.offer(job("lower", Priority.LOW));

        assertThat(overflowed).containsExactly("same", "lower");
        assertThat(queue.waiting()).isEqualTo(2);
        assertThat(started).containsExactly("running");
    }

    @Test
    void reportsWaitingAndRunningJobsAsGauges() {
        RequestQueue queue = queue(10, 1);
        TestJob first = job("first", Priority.NORMAL);
        queue.offer(first);
        queue.offer(job("second", Priority.NORMAL));
        queue.offer(job("third", Priority.NORMAL));

        assertThat(gauge("device_bridge_request_queue_depth")).isEqualTo(2);
        assertThat(gauge("device_bridge_requests_in_flight")).isEqualTo(1);

        first.complete();

        assertThat(gauge("device_bridge_request_queue_depth")).isEqualTo(1);
        assertThat(gauge("device_bridge_requests_in_flight")).isEqualTo(1);
    }

    @Test
    void freesTheSlotOfAJobThatFailsCompletesEmptyOrThrows() {
        RequestQueue queue = queue(10, 1);
        TestJob failing = job("failing", Priority.NORMAL);
        TestJob empty = job("empty", Priority.NORMAL);
        TestJob throwing = new TestJob("throwing", Priority.NORMAL) {
            @Override
            public Mono<Void> run() {
                started.add(name);
                throw new IllegalStateException("the job's own bug");
            }
        };
        TestJob last = job("last", Priority.NORMAL);
        queue.offer(failing);
        queue.offer(empty);
        queue.offer(throwing);
        queue.offer(last);

        failing.fail(new IllegalStateException("signing failed"));
        assertThat(started).containsExactly("failing", "empty");

        empty.complete();
        assertThat(started).containsExactly("failing", "empty", "throwing", "last");

        last.complete();
        assertThat(queue.running()).isZero();
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void keepsRunningWhenAnOverflowAnswerFails() {
        RequestQueue queue = queue(1, 1);
        TestJob running = job("running", Priority.NORMAL);
        queue.offer(running);
        queue.offer(job("waiting", Priority.NORMAL));

        queue.offer(new TestJob("broken", Priority.LOW) {
            @Override
            public void overflow() {
                throw new IllegalStateException("publishing the answer failed");
            }
        });
        running.complete();

        assertThat(started).containsExactly("running", "waiting");
    }

    private RequestQueue queue(int capacity, int concurrency) {
        return new RequestQueue(capacity, concurrency, Schedulers.immediate(), meters);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private TestJob job(String name, Priority priority) {
        return new TestJob(name, priority);
    }

    private static TestJob jobNamed(List<TestJob> jobs, String name) {
        return jobs.stream().filter(job -> job.name.equals(name)).findFirst().orElseThrow();
    }

    /** A job that runs until the test completes or fails it. */
    private class TestJob implements RequestQueue.Job {

        final String name;
        private final Priority priority;
        private final Sinks.Empty<Void> done = Sinks.empty();

        TestJob(String name, Priority priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public Priority priority() {
            return priority;
        }

        @Override
        public Mono<Void> run() {
            started.add(name);
            return done.asMono();
        }

        @Override
        public void overflow() {
            overflowed.add(name);
        }

        void complete() {
            done.emitEmpty(Sinks.EmitFailureHandler.FAIL_FAST);
        }

        void fail(Throwable error) {
            done.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }
}
