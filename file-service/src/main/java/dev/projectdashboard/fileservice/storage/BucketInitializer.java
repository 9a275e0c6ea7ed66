package dev.projectdashboard.fileservice.storage;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks the bucket once at start-up (on the main thread, so blocking is fine). A missing bucket is created only
 * when {@code dashboard.s3.create-bucket} is on (local runs); otherwise it stops the start with a message naming
 * the bucket and the setting. An unreachable store does not stop the start: readiness reports it.
 */
@Component
class BucketInitializer implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BucketInitializer.class);

    private final S3AsyncClient s3;
    private final S3Properties properties;

    BucketInitializer(S3AsyncClient s3, S3Properties properties) {
        this.s3 = s3;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String bucket = properties.bucket();
        long timeout = properties.requestTimeout().toMillis();
        try {
            s3.headBucket(request -> request.bucket(bucket)).get(timeout, TimeUnit.MILLISECONDS);
            return;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception error) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            if (!isMissing(cause)) {
                log.warn(
                        "S3 bucket {} could not be checked at start-up ({}); readiness will report it",
                        bucket,
                        cause.toString());
                return;
            }
        }
        if (!properties.createBucket()) {
            throw new IllegalStateException("S3 bucket '" + bucket + "' does not exist at " + properties.endpoint()
                    + ". Create it, or set S3_CREATE_BUCKET=true (dashboard.s3.create-bucket) for a local run.");
        }
        try {
            s3.createBucket(request -> request.bucket(bucket)).get(timeout, TimeUnit.MILLISECONDS);
            log.info("Created S3 bucket {} (dashboard.s3.create-bucket=true)", bucket);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception error) {
            throw new IllegalStateException("S3 bucket '" + bucket + "' is missing and could not be created", error);
        }
    }

    private static boolean isMissing(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof NoSuchBucketException
                || (cause instanceof S3Exception s3Error && s3Error.statusCode() == 404);
    }
}
