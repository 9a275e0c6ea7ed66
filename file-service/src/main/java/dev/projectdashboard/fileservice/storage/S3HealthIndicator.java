package dev.projectdashboard.fileservice.storage;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Health component {@code s3}: the bucket exists and the credentials may use it (HeadBucket), within a short
 * timeout so a hanging store cannot stall the readiness probe.
 */
@Component("s3")
class S3HealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final S3AsyncClient s3;
    private final String bucket;

    S3HealthIndicator(S3AsyncClient s3, S3Properties properties) {
        this.s3 = s3;
        this.bucket = properties.bucket();
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromFuture(() -> s3.headBucket(request -> request.bucket(bucket)))
                .map(response -> Health.up().withDetail("bucket", bucket).build())
                .timeout(TIMEOUT)
                .onErrorResume(error -> Mono.just(down(error)));
    }

    private Health down(Throwable error) {
        Health.Builder health = Health.down().withDetail("bucket", bucket);
        Throwable cause =
                error.getCause() != null && !(error instanceof AwsServiceException) ? error.getCause() : error;
        if (cause instanceof AwsServiceException service) {
            // 404: no such bucket, 403: credentials not allowed to use it
            health.withDetail("http_status", service.statusCode());
        }
        return health.withDetail("error", cause.getClass().getSimpleName()).build();
    }
}
