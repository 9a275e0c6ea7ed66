package dev.projectdashboard.pushservice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.UncategorizedR2dbcException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DeadlocksTests {

    @Test
    void aDeadlockOrSerializationFailureWrappedBySpringIsRunAgainAndOtherErrorsAreNot() {
        UncategorizedR2dbcException deadlock = new UncategorizedR2dbcException(
                "execute", "delete …", new R2dbcRollbackException("deadlock detected", "40P01"));
        assertThat(Deadlocks.aborted(deadlock)).isTrue();
        assertThat(Deadlocks.aborted(new R2dbcTransientResourceException("could not serialize", "40001")))
                .isTrue();
        assertThat(Deadlocks.aborted(new R2dbcTransientResourceException("unique violation", "23505")))
                .isFalse();
        assertThat(Deadlocks.aborted(new IllegalStateException("no"))).isFalse();
    }

    @Test
    void theWorkIsSubscribedAgainUntilItGetsThrough() {
        AtomicInteger tries = new AtomicInteger();
        Mono<String> work = Mono.defer(() -> tries.incrementAndGet() < 3
                ? Mono.error(new R2dbcRollbackException("deadlock detected", "40P01"))
                : Mono.just("done"));

        StepVerifier.create(work.retryWhen(Deadlocks.retry()))
                .expectNext("done")
                .verifyComplete();
        assertThat(tries).hasValue(3);
    }
}
