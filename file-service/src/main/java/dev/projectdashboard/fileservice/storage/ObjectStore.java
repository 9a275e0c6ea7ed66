package dev.projectdashboard.fileservice.storage;

import dev.projectdashboard.starter.problem.ProblemException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Every S3 call of the service, as {@link Mono}s with a timeout and one error mapping: a store that cannot be
 * reached, times out or answers 5xx becomes 503 problem JSON; a missing object becomes 404. An error a caller put
 * into a streamed body (e.g. the 413 of an oversized upload) comes back unchanged.
 */
@Component
public class ObjectStore {

    private final S3AsyncClient s3;
    private final String bucket;
    private final Duration timeout;
    private final long partSize;

    ObjectStore(S3AsyncClient s3, S3Properties properties) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        // the SDK's own apiCallTimeout bounds each request; this bound is a backstop for the whole Mono
        this.timeout = properties.requestTimeout().plusSeconds(5);
        this.partSize = properties.uploadPartSize().toBytes();
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Streams a body of unknown length to {@code key} in parts of {@code dashboard.s3.upload-part-size}: a body
     * shorter than one part is a single PutObject, anything longer a multipart upload whose parts are sent one
     * after the other. At most the part being sent and the one being filled are in memory, whatever the file
     * size. When the body fails (e.g. the 413 of an oversized upload) or a part cannot be stored, the multipart
     * upload is aborted, so nothing is left behind.
     *
     * @return the stored object's ETag
     */
    public Mono<String> put(String key, String contentType, Map<String, String> metadata, Flux<ByteBuffer> body) {
        AtomicLong filled = new AtomicLong();
        Flux<List<ByteBuffer>> parts = body.bufferUntil(chunk -> {
            if (filled.addAndGet(chunk.remaining()) >= partSize) {
                filled.set(0);
                return true;
            }
            return false;
        });
        return parts.switchOnFirst((first, all) -> {
                    if (first.hasValue() && length(first.get()) < partSize) {
                        // the only part: the stream ended before one part was full
                        return all.take(1).concatMap(chunks -> this.<PutObjectResponse>call(() -> s3.putObject(
                                        request -> request.bucket(bucket)
                                                .key(key)
                                                .contentType(contentType)
                                                .metadata(metadata)
                                                .contentLength(length(chunks)),
                                        AsyncRequestBody.fromByteBuffersUnsafe(chunks.toArray(ByteBuffer[]::new))))
                                .map(PutObjectResponse::eTag));
                    }
                    if (!first.hasValue()) {
                        Mono<String> empty = this.<PutObjectResponse>call(() -> s3.putObject(
                                        request -> request.bucket(bucket)
                                                .key(key)
                                                .contentType(contentType)
                                                .metadata(metadata)
                                                .contentLength(0L),
                                        AsyncRequestBody.empty()))
                                .map(PutObjectResponse::eTag);
                        return all.then(empty);
                    }
                    return multipart(key, contentType, metadata, all);
                })
                .next()
                .onErrorMap(ObjectStore::translate);
    }

    private Mono<String> multipart(
            String key, String contentType, Map<String, String> metadata, Flux<List<ByteBuffer>> parts) {
        return call(() -> s3.createMultipartUpload(request ->
                        request.bucket(bucket).key(key).contentType(contentType).metadata(metadata)))
                .flatMap(created -> {
                    String uploadId = created.uploadId();
                    AtomicInteger number = new AtomicInteger();
                    return parts
                            // prefetch 1: one part is filled while the previous one is sent
                            .concatMap(
                                    chunks -> {
                                        int partNumber = number.incrementAndGet();
                                        return call(() -> s3.uploadPart(
                                                        request -> request.bucket(bucket)
                                                                .key(key)
                                                                .uploadId(uploadId)
                                                                .partNumber(partNumber)
                                                                .contentLength(length(chunks)),
                                                        AsyncRequestBody.fromByteBuffersUnsafe(
                                                                chunks.toArray(ByteBuffer[]::new))))
                                                .map(response -> CompletedPart.builder()
                                                        .partNumber(partNumber)
                                                        .eTag(response.eTag())
                                                        .build());
                                    },
                                    1)
                            .collectList()
                            .flatMap(completed -> completeMultipartUpload(key, uploadId, completed))
                            .map(CompleteMultipartUploadResponse::eTag)
                            .onErrorResume(error -> abortMultipartUpload(key, uploadId)
                                    .onErrorResume(ignored -> Mono.empty())
                                    .then(Mono.error(error)));
                });
    }

    private static long length(List<ByteBuffer> chunks) {
        long length = 0;
        for (ByteBuffer chunk : chunks) {
            length += chunk.remaining();
        }
        return length;
    }

    public Mono<HeadObjectResponse> head(String key) {
        return call(() -> s3.headObject(request -> request.bucket(bucket).key(key)));
    }

    public Mono<Void> delete(String key) {
        return call(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)))
                .then();
    }

    /** Best-effort removal while compensating another failure: its own error must not hide the first one. */
    public Mono<Void> deleteQuietly(String key) {
        return delete(key).onErrorResume(error -> Mono.empty());
    }

    public Mono<String> createMultipartUpload(
            String key, String contentType, CreateMultipartUploadRequest.Builder extra) {
        return call(() -> s3.createMultipartUpload(
                        extra.bucket(bucket).key(key).contentType(contentType).build()))
                .map(response -> response.uploadId());
    }

    public Mono<ListPartsResponse> listParts(String key, String uploadId) {
        return call(
                () -> s3.listParts(request -> request.bucket(bucket).key(key).uploadId(uploadId)));
    }

    public Mono<CompleteMultipartUploadResponse> completeMultipartUpload(
            String key, String uploadId, List<CompletedPart> parts) {
        return call(() -> s3.completeMultipartUpload(request ->
                request.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(upload -> upload.parts(parts))));
    }

    public Mono<Void> abortMultipartUpload(String key, String uploadId) {
        return call(() -> s3.abortMultipartUpload(
                        request -> request.bucket(bucket).key(key).uploadId(uploadId)))
                .then();
    }

    private <T> Mono<T> call(Supplier<CompletableFuture<T>> future) {
        return Mono.fromFuture(future).timeout(timeout).onErrorMap(ObjectStore::translate);
    }

    private static String code(AwsServiceException error) {
        return error.awsErrorDetails() == null
                ? String.valueOf(error.statusCode())
                : error.awsErrorDetails().errorCode();
    }

    static Throwable translate(Throwable error) {
        Throwable cause = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchKeyException || cause instanceof NoSuchUploadException) {
            return new ProblemException(HttpStatus.NOT_FOUND, "No such file or upload", cause);
        }
        if (cause instanceof AwsServiceException service) {
            int status = service.statusCode();
            if (status == 404) {
                return new ProblemException(HttpStatus.NOT_FOUND, "No such file or upload", cause);
            }
            if (status == 400) {
                return new ProblemException(
                        HttpStatus.BAD_REQUEST, "The object store refused the request: " + code(service), cause);
            }
            if (status < 500 && status != 403) {
                return new ProblemException(
                        HttpStatus.CONFLICT, "The object store refused the request: " + code(service), cause);
            }
        }
        if (cause instanceof AwsServiceException
                || cause instanceof SdkClientException
                || cause instanceof TimeoutException
                || cause instanceof java.io.IOException) {
            return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Object storage is unavailable", cause);
        }
        return error;
    }
}
