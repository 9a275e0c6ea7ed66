package dev.projectdashboard.pushservice.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One endpoint's attempts on one replica: at most {@code maxInFlight} run at once, up to {@code maxWaiting} more wait
 * here in arrival order, in memory, instead of going back to the database and the scheduler (a busy endpoint's next
 * delivery starts the moment an attempt ends). One that waited longer than {@code maxWaitNanos} when its turn comes is
 * not started but answered {@link Expired}, so a delivery never outstays its lease here.
 *
 * <p>Hand-written: Resilience4j's bulkhead either refuses at once or blocks a thread while it waits, and Reactor has no
 * asynchronous semaphore.
 */
final class EndpointLane {

    /** The lane's queue was full: nothing was started. */
    static final class Full extends RuntimeException {

        Full() {
            super("the endpoint's queue is full", null, false, false);
        }
    }

    /** The work waited too long for its turn and was not started. */
    static final class Expired extends RuntimeException {

        Expired() {
            super("waited too long for the endpoint", null, false, false);
        }
    }

    private final class Waiter {

        private final Mono<?> work;
        private final MonoSink<Object> sink;
        private final long since;
        private volatile Disposable running;

        Waiter(Mono<?> work, MonoSink<Object> sink, long since) {
            this.work = work;
            this.sink = sink;
            this.since = since;
        }

        void start() {
            running = work.doFinally(signal -> leave()).subscribe(sink::success, sink::error, () -> sink.success());
        }
    }

    private final int maxInFlight;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inFlight;

    EndpointLane(int maxInFlight, int maxWaiting, long maxWaitNanos, LongSupplier nanoTime) {
        if (maxInFlight < 1 || maxWaiting < 0 || maxWaitNanos < 0) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, maxWaiting and maxWait not negative");
        }
        this.maxInFlight = maxInFlight;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWaitNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * Runs {@code work} once it is this one's turn: at once when fewer than {@code maxInFlight} run, else when one of
     * them ends. Errors with {@link Full} when {@code maxWaiting} already wait, and {@link Expired} when it waited too
     * long; neither subscribes to {@code work}. Cancelling a waiting one takes it out of the queue.
     */
    @SuppressWarnings("unchecked")
    <T> Mono<T> run(Mono<T> work) {
        return Mono.<Object>create(sink -> {
                    Waiter waiter = new Waiter(work, sink, nanoTime.getAsLong());
                    boolean startNow;
                    synchronized (this) {
                        startNow = inFlight < maxInFlight && waiting.isEmpty();
                        if (startNow) {
                            inFlight++;
                        } else if (waiting.size() >= maxWaiting) {
                            sink.error(new Full());
                            return;
                        } else {
                            waiting.addLast(waiter);
                        }
                    }
                    sink.onCancel(() -> cancel(waiter));
                    if (startNow) {
                        waiter.start();
                    }
                })
                .map(value -> (T) value);
    }

    private void cancel(Waiter waiter) {
        Disposable running = waiter.running;
        if (running != null) {
            running.dispose();
            return;
        }
        synchronized (this) {
            waiting.remove(waiter);
        }
    }

    private void leave() {
        Waiter next = null;
        long now = nanoTime.getAsLong();
        List<Waiter> expired = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            Iterator<Waiter> queue = waiting.iterator();
            while (queue.hasNext()) {
                Waiter candidate = queue.next();
                queue.remove();
                if (now - candidate.since > maxWaitNanos) {
                    expired.add(candidate);
                } else {
                    next = candidate;
                    inFlight++;
                    break;
                }
            }
        }
        expired.forEach(waiter -> waiter.sink.error(new Expired()));
        if (next != null) {
            next.start();
        }
    }

    /** Attempts running now. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Attempts waiting for their turn. */
    synchronized int waiting() {
        return waiting.size();
    }
}
