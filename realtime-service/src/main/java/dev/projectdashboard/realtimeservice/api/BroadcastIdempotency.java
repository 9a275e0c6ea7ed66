package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.api.ApiViews.Broadcasted;
import dev.projectdashboard.realtimeservice.api.ServerPublishing.BroadcastResult;
import dev.projectdashboard.starter.problem.ProblemException;
import io.lettuce.core.SetArgs;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a broadcast at most once per idempotency key, cluster-wide: {@code SET rt:idem:broadcast:{key} NX} claims the
 * key (short TTL while in progress), the answer then replaces the claim for {@code idempotency-ttl}, and a replay
 * with the same request gets that stored answer. The same key with another request is a 422; a replay while the
 * first is still running is a 409. A failed broadcast frees its key, so the client can retry.
 */
@Component
class BroadcastIdempotency {

    static final String KEY_PREFIX = "rt:idem:broadcast:";

    private static final String PENDING = "P";
    private static final String DONE = "D";

    private final RedisConnections redis;
    private final JsonMapper json;
    private final RealtimeApiProperties properties;

    BroadcastIdempotency(RedisConnections redis, JsonMapper json, RealtimeApiProperties properties) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        // builds the (de)serialisers now: Jackson builds them under a lock, which an event loop must not wait on
        json.writerFor(Broadcasted.class);
        json.readerFor(Broadcasted.class);
    }

    Mono<BroadcastResult> once(String key, String fingerprint, Supplier<Mono<Broadcasted>> broadcast) {
        return claimOrReplay(key, fingerprint, broadcast, true);
    }

    private Mono<BroadcastResult> claimOrReplay(
            String key, String fingerprint, Supplier<Mono<Broadcasted>> broadcast, boolean retryIfGone) {
        String redisKey = KEY_PREFIX + key;
        SetArgs claim =
                SetArgs.Builder.nx().ex(properties.idempotencyPendingTtl().toSeconds());
        return redis.commands()
                .flatMap(commands -> commands.set(redisKey, PENDING + " " + fingerprint, claim))
                .timeout(redis.commandTimeout())
                .map("OK"::equals)
                .defaultIfEmpty(false)
                .onErrorMap(ApiErrors::translate)
                .flatMap(claimed -> claimed
                        ? run(redisKey, fingerprint, broadcast)
                        : replay(redisKey, fingerprint)
                                .switchIfEmpty(Mono.defer(() -> retryIfGone
                                        ? claimOrReplay(key, fingerprint, broadcast, false)
                                        : Mono.error(inProgress()))));
    }

    private Mono<BroadcastResult> run(String redisKey, String fingerprint, Supplier<Mono<Broadcasted>> broadcast) {
        return broadcast
                .get()
                .flatMap(answer -> {
                    String stored = DONE + " " + fingerprint + " " + json.writeValueAsString(answer);
                    return redis.commands()
                            .flatMap(commands -> commands.set(
                                    redisKey,
                                    stored,
                                    SetArgs.Builder.ex(
                                            properties.idempotencyTtl().toSeconds())))
                            .timeout(redis.commandTimeout())
                            // the events are out: losing the stored answer only weakens later replays
                            .onErrorResume(e -> Mono.empty())
                            .thenReturn(new BroadcastResult(answer, false));
                })
                .onErrorResume(error -> redis.commands()
                        .flatMap(commands -> commands.del(redisKey))
                        .timeout(redis.commandTimeout())
                        .onErrorResume(e -> Mono.empty())
                        .then(Mono.error(ApiErrors.translate(error))));
    }

    /** The stored answer for the key; empty when the key expired meanwhile. */
    private Mono<BroadcastResult> replay(String redisKey, String fingerprint) {
        return redis.commands()
                .flatMap(commands -> commands.get(redisKey))
                .timeout(redis.commandTimeout())
                .onErrorMap(ApiErrors::translate)
                .flatMap(stored -> {
                    String[] parts = stored.split(" ", 3);
                    if (parts.length < 2 || !parts[1].equals(fingerprint)) {
                        return Mono.error(new ProblemException(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                "idempotency_key was already used for a different broadcast"));
                    }
                    if (!DONE.equals(parts[0]) || parts.length < 3) {
                        return Mono.error(inProgress());
                    }
                    return Mono.just(new BroadcastResult(json.readValue(parts[2], Broadcasted.class), true));
                });
    }

    private static ProblemException inProgress() {
        return new ProblemException(
                HttpStatus.CONFLICT, "a broadcast with this idempotency_key is still in progress; retry later");
    }
}
