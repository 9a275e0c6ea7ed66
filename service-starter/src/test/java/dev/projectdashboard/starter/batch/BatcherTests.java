package dev.projectdashboard.starter.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The group commit with calls whose answers the test releases: the batches the call saw are exactly what the
 * batcher formed.
 */
class BatcherTests {

    /** Each call's batch, in the order the calls were made. */
    private final List<List<String>> calls = new ArrayList<>();

    private final Map<List<String>, Sinks.One<List<String>>> answers = new ConcurrentHashMap<>();

    private Mono<List<String>> call(List<String> batch) {
        calls.add(List.copyOf(batch));
        Sinks.One<List<String>> answer = Sinks.one();
        answers.put(List.copyOf(batch), answer);
        return answer.asMono();
    }

    private void answer(List<String> batch) {
        answers.get(batch).tryEmitValue(batch.stream().map(String::toUpperCase).toList());
    }

    @Test
    void anItemSubmittedWhileACallIsFreeGoesOutAloneAtOnce() {
        Batcher<String, String> batcher = new Batcher<>("test", this::call, 10, 2);

        Mono<String> a = batcher.submit("a").cache();
        a.subscribe();

        assertThat(calls).containsExactly(List.of("a"));
        answer(List.of("a"));
        StepVerifier.create(a).expectNext("A").verifyComplete();
    }

    @Test
    void itemsSubmittedWhileEveryCallRunsGoOutTogetherInOrderAtMostMaxBatchAtATime() {
        Batcher<String, String> batcher = new Batcher<>("test", this::call, 3, 1);
        List<Mono<String>> results = new ArrayList<>();
        for (String item : List.of("a", "b", "c", "d", "e", "f")) {
            Mono<String> result = batcher.submit(item).cache();
            result.subscribe();
            results.add(result);
        }
        assertThat(calls).containsExactly(List.of("a"));

        answer(List.of("a"));
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "c", "d"));
        answer(List.of("b", "c", "d"));
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e", "f"));
        answer(List.of("e", "f"));

        List<String> answered = results.stream().map(Mono::block).toList();
        assertThat(answered).containsExactly("A", "B", "C", "D", "E", "F");
    }

    @Test
    void runsUpToMaxInFlightCallsAtOnce() {
        Batcher<String, String> batcher = new Batcher<>("test", this::call, 10, 2);
        for (String item : List.of("a", "b", "c", "d")) {
            batcher.submit(item).subscribe();
        }

        assertThat(calls).containsExactly(List.of("a"), List.of("b"));
        answer(List.of("b"));
        assertThat(calls).containsExactly(List.of("a"), List.of("b"), List.of("c", "d"));
    }

    @Test
    void aFailedCallFailsEachItemOfItsBatchAndTheNextBatchStillGoes() {
        Batcher<String, String> batcher = new Batcher<>("test", this::call, 10, 1);
        Mono<String> a = batcher.submit("a").cache();
        a.subscribe(value -> {}, error -> {});
        Mono<String> b = batcher.submit("b").cache();
        b.subscribe(value -> {}, error -> {});
        Mono<String> c = batcher.submit("c").cache();
        c.subscribe(value -> {}, error -> {});

        answers.get(List.of("a")).tryEmitError(new IllegalStateException("down"));

        StepVerifier.create(a).expectErrorMessage("down").verify();
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "c"));
        answer(List.of("b", "c"));
        StepVerifier.create(b).expectNext("B").verifyComplete();
        StepVerifier.create(c).expectNext("C").verifyComplete();
    }

    @Test
    void anAnswerOfTheWrongSizeOrNoneFailsTheBatchInsteadOfMismatchingItems() {
        Batcher<String, String> wrongSize =
                new Batcher<>("test", batch -> Mono.just(Collections.nCopies(batch.size() + 1, "x")), 10, 1);
        Batcher<String, String> empty = new Batcher<>("test", batch -> Mono.empty(), 10, 1);

        StepVerifier.create(wrongSize.submit("a"))
                .expectErrorMessage("test answered 2 items for a batch of 1")
                .verify();
        StepVerifier.create(empty.submit("a"))
                .expectErrorMessage("test answered nothing")
                .verify();
    }

    @Test
    void nothingIsSentUntilSubscribed() {
        Batcher<String, String> batcher = new Batcher<>("test", this::call, 10, 1);

        Mono<String> lazy = batcher.submit("a");

        assertThat(calls).isEmpty();
        lazy.subscribe();
        assertThat(calls).containsExactly(List.of("a"));
    }
}
