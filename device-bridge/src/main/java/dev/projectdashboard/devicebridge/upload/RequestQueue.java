package dev.projectdashboard.devicebridge.upload;

import dev.projectdashboard.devicebridge.domain.Priority;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The bounded priority queue between the MQTT subscription and the signing calls: at most {@code concurrency} jobs
 * run at once; the rest wait, highest priority first and in arrival order within a priority, so under a backlog an
 * URGENT request overtakes every LOW one. Full, it drops the newest of the lowest priority waiting when the new job
 * ranks higher, otherwise the new job (each told through {@link Job#overflow()}).
 *
 * <p>Hand-written: four FIFO deques, one per source 001 priority, are all it takes; a monitor (not a lock that parks)
 * guards them for the few instructions an offer or a hand-over needs.
 */
public final class RequestQueue {

    private static final Logger log = LoggerFactory.getLogger(RequestQueue.class);

    /** Something to run in its turn. */
    public interface Job {

        Priority priority();

        /** The work; its completion, in any way, frees the slot. */
        Mono<Void> run();

        /** Called instead of {@link #run()} when the queue had no room for this job. */
        void overflow();
    }

    private final int capacity;
    private final int concurrency;
    private final Scheduler scheduler;
    private final Deque<Job>[] waiting;
    private int size;
    private int running;

    @SuppressWarnings("unchecked")
    RequestQueue(int capacity, int concurrency, Scheduler scheduler, MeterRegistry meters) {
        this.capacity = capacity;
        this.concurrency = concurrency;
        this.scheduler = scheduler;
        this.waiting = new Deque[Priority.values().length];
        for (int i = 0; i < waiting.length; i++) {
            waiting[i] = new ArrayDeque<>();
        }
        Gauge.builder("device_bridge_request_queue_depth", this, RequestQueue::waiting)
                .description("Upload requests waiting for a signing slot")
                .register(meters);
        Gauge.builder("device_bridge_requests_in_flight", this, RequestQueue::running)
                .description("Upload requests being signed")
                .register(meters);
    }

    public void offer(Job job) {
        Job dropped = null;
        boolean start = false;
        synchronized (this) {
            if (running < concurrency) {
                running++;
                start = true;
            } else if (size < capacity) {
                waiting[job.priority().value()].addLast(job);
                size++;
            } else {
                Deque<Job> lowest = lowestNonEmpty();
                if (lowest != null
                        && lowest.peekLast().priority().value() < job.priority().value()) {
                    dropped = lowest.pollLast();
                    waiting[job.priority().value()].addLast(job);
                } else {
                    dropped = job;
                }
            }
        }
        if (dropped != null) {
            overflow(dropped);
        }
        if (start) {
            start(job);
        }
    }

    public synchronized int waiting() {
        return size;
    }

    public synchronized int running() {
        return running;
    }

    private void start(Job job) {
        Mono.defer(job::run)
                .subscribeOn(scheduler)
                .doFinally(signal -> finished())
                .subscribe(null, error -> log.error("Upload request job failed", error));
    }

    private void finished() {
        Job next;
        synchronized (this) {
            next = highestWaiting();
            if (next == null) {
                running--;
            } else {
                size--;
            }
        }
        if (next != null) {
            start(next);
        }
    }

    private Job highestWaiting() {
        for (int i = waiting.length - 1; i >= 0; i--) {
            Job job = waiting[i].pollFirst();
            if (job != null) {
                return job;
            }
        }
        return null;
    }

    private Deque<Job> lowestNonEmpty() {
        for (Deque<Job> deque : waiting) {
            if (!deque.isEmpty()) {
                return deque;
            }
        }
        return null;
    }

    private static void overflow(Job job) {
        try {
            job.overflow();
        } catch (RuntimeException e) {
            log.error("Answering a dropped upload request failed", e);
        }
    }
}
