package dev.projectdashboard.starter.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Group commit for calls that cost mostly per call, not per item (an HTTP round trip, a database statement and its
 * commit): an item submitted while fewer than {@code maxInFlight} calls run goes out at once, alone; items submitted
 * while all are running wait and go out together in the next call, at most {@code maxBatch} at a time. So an idle
 * system pays no added latency, and a busy one pays the per-call cost once per batch rather than once per item.
 *
 * <p>Hand-written: Reactor's {@code bufferTimeout} batches by time, which adds its delay to every item even when
 * nothing else is waiting.
 *
 * @param <I> what is submitted
 * @param <O> the answer for one item; {@code call} answers a batch with one per item, in the batch's order
 */
public final class Batcher<I, O> {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    private record Waiting<I, O>(I item, MonoSink<O> sink) {}

    private final String name;
    private final Function<List<I>, Mono<List<O>>> call;
    private final int maxBatch;
    private final int maxInFlight;
    private final ArrayDeque<Waiting<I, O>> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param name what the calls are, for the log
     * @param call answers a batch (never empty) with a list of the same size and order, or an error for all of it
     */
    public Batcher(String name, Function<List<I>, Mono<List<O>>> call, int maxBatch, int maxInFlight) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.name = name;
        this.call = call;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /** The item's answer once its batch is answered; lazy, like any {@link Mono}: nothing is sent until subscribed. */
    public Mono<O> submit(I item) {
        return Mono.create(sink -> {
            synchronized (this) {
                waiting.addLast(new Waiting<>(item, sink));
            }
            drain();
        });
    }

    private void drain() {
        while (true) {
            List<Waiting<I, O>> batch;
            synchronized (this) {
                if (inFlight >= maxInFlight || waiting.isEmpty()) {
                    return;
                }
                inFlight++;
                batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
                while (batch.size() < maxBatch && !waiting.isEmpty()) {
                    batch.add(waiting.pollFirst());
                }
            }
            send(batch);
        }
    }

    private void send(List<Waiting<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(waiting -> items.add(waiting.item()));
        Mono.defer(() -> call.apply(items))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(name + " answered nothing")))
                .doFinally(signal -> {
                    synchronized (this) {
                        inFlight--;
                    }
                    drain();
                })
                .subscribe(
                        answers -> answer(batch, answers),
                        error -> batch.forEach(waiting -> waiting.sink().error(error)),
                        () -> {});
    }

    private void answer(List<Waiting<I, O>> batch, List<O> answers) {
        if (answers.size() != batch.size()) {
            IllegalStateException wrong = new IllegalStateException(
                    name + " answered " + answers.size() + " items for a batch of " + batch.size());
            log.error("{}", wrong.getMessage());
            batch.forEach(waiting -> waiting.sink().error(wrong));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).sink().success(answers.get(i));
        }
    }
}
