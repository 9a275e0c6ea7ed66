package dev.projectdashboard.devicebridge.persistence;

import dev.projectdashboard.devicebridge.upload.RateLimiter;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A fixed-window counter per device in Redis ({@code devices:rate:{device id}}), so the limit holds across replicas:
 * one round trip a request, one key a device, expiring with its window (a single key, so it works on Redis Cluster).
 * While Redis is unreachable requests are let through and counted: a camera's recording matters more than the limit.
 */
@Component
class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1])\n"
            + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end\n"
            + "return n";

    private final RedisConnections redis;
    private final MeterRegistry meters;

    RedisRateLimiter(RedisConnections redis, MeterRegistry meters) {
        this.redis = redis;
        this.meters = meters;
    }

    @Override
    public Mono<Boolean> tryAcquire(String deviceId, int limit, Duration window) {
        return redis.commands()
                .flatMap(commands -> commands.<Long>eval(
                                SCRIPT,
                                ScriptOutputType.INTEGER,
                                new String[] {"devices:rate:" + deviceId},
                                Long.toString(window.toMillis()))
                        .next())
                .map(count -> count <= limit)
                .timeout(redis.commandTimeout())
                .onErrorResume(error -> {
                    meters.counter("device_bridge_rate_limit_unchecked_total").increment();
                    log.debug("Rate of {} not checked: {}", deviceId, error.toString());
                    return Mono.just(true);
                });
    }
}
