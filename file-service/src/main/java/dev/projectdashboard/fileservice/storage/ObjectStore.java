package dev.projectdashboard.fileservice.storage;

import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Every S3 call of the service, as {@link Mono}s with a timeout and one error mapping: a store that cannot be
 * reached, times out or answers 5xx becomes 503 problem JSON; a missing object becomes 404. An error a caller put
 * into a streamed body (e.g. the 413 of an oversized upload) comes back unchanged.
 */
@Component
public class ObjectStore {

    private final S3AsyncClient s3;
    private final SlabPool pool;
    private final String bucket;
    private final Duration timeout;
    private final int uploadConcurrency;

    ObjectStore(S3AsyncClient s3, SlabPool pool, S3Properties properties) {
        this.s3 = s3;
        this.pool = pool;
        this.bucket = properties.bucket();
        // the SDK's own apiCallTimeout bounds each request; this bound is a backstop for the whole Mono
        this.timeout = properties.requestTimeout().plusSeconds(5);
        this.uploadConcurrency = properties.uploadConcurrency();
    }

    public String bucket() {
        return bucket;
    }

    /** Where and how {@link #put} stores a body; asked for only once the body's first slab has arrived. */
    public record Target(String key, String contentType, Map<String, String> metadata) {}

    /**
     * Stores a streamed body, cut into {@link Slab}s, under {@code key}: a body whose first slab is already the
     * last is a single PutObject; anything longer a multipart upload with up to {@code concurrency} parts in
     * flight. {@code precondition} runs before the first write (e.g. "no live file of that name"), so a refused
     * upload stops after its first slab. When the body fails (e.g. the 413 of an oversized upload) or a part
     * cannot be stored, the multipart upload is aborted: nothing is left behind and nothing becomes visible.
     *
     * @return the stored object's ETag
     */
    public Mono<String> put(Supplier<Target> target, Flux<Slab> slabs, Mono<Void> precondition) {
        // the creation is never cancelled: if the body fails while it is in flight, its upload id is still needed
        // for the abort, or an invisible incomplete upload would keep its parts in the bucket
        AtomicReference<CompletableFuture<CreateMultipartUploadResponse>> creating = new AtomicReference<>();
        AtomicReference<String> uploadId = new AtomicReference<>();
        AtomicReference<String> singleEtag = new AtomicReference<>();
        Mono<String> created = precondition
                .then(Mono.defer(() -> {
                    Target to = target.get();
                    creating.set(s3.createMultipartUpload(request -> request.bucket(bucket)
                            .key(to.key())
                            .contentType(to.contentType())
                            .metadata(to.metadata())));
                    return uncancellable(creating.get());
                }))
                .map(response -> {
                    uploadId.set(response.uploadId());
                    return response.uploadId();
                })
                .cache();
        return slabs.flatMapSequential(
                        slab -> {
                            if (slab.number() == 1 && slab.last()) {
                                return precondition
                                        .then(call(() -> s3.putObject(
                                                request -> request.bucket(bucket)
                                                        .key(target.get().key())
                                                        .contentType(
                                                                target.get().contentType())
                                                        .metadata(target.get().metadata())
                                                        .contentLength((long) slab.length()),
                                                AsyncRequestBody.fromByteBufferUnsafe(slab.content()))))
                                        .doOnNext(response -> singleEtag.set(response.eTag()))
                                        .doOnSuccess(response -> pool.give(slab.bytes()))
                                        .then(Mono.<CompletedPart>empty());
                            }
                            return created.flatMap(id -> call(() -> s3.uploadPart(
                                            request -> request.bucket(bucket)
                                                    .key(target.get().key())
                                                    .uploadId(id)
                                                    .partNumber(slab.number())
                                                    .contentLength((long) slab.length()),
                                            AsyncRequestBody.fromByteBufferUnsafe(slab.content())))
                                    // not on cancel: the client may still be sending from the array
                                    .doOnSuccess(response -> pool.give(slab.bytes()))
                                    .doOnError(error -> pool.give(slab.bytes()))
                                    .map(response -> CompletedPart.builder()
                                            .partNumber(slab.number())
                                            .eTag(response.eTag())
                                            .build()));
                        },
                        uploadConcurrency,
                        1)
                .collectList()
                .flatMap(parts -> {
                    if (uploadId.get() == null) {
                        return Mono.justOrEmpty(singleEtag.get());
                    }
                    return completeMultipartUpload(target.get().key(), uploadId.get(), parts)
                            .map(CompleteMultipartUploadResponse::eTag);
                })
                .onErrorResume(error -> {
                    Mono<Void> cleanUp = creating.get() == null
                            ? Mono.empty()
                            : uncancellable(creating.get())
                                    .flatMap(response ->
                                            abortMultipartUpload(target.get().key(), response.uploadId()))
                                    .onErrorResume(ignored -> Mono.empty());
                    return cleanUp.then(Mono.error(translate(error)));
                });
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

    private <T> Mono<T> uncancellable(CompletableFuture<T> future) {
        return Mono.fromFuture(future, true).timeout(timeout).onErrorMap(ObjectStore::translate);
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
