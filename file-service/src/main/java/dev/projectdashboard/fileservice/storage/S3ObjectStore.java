package dev.projectdashboard.fileservice.storage;

import dev.projectdashboard.fileservice.domain.ObjectStore;
import dev.projectdashboard.fileservice.domain.StoredObject;
import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Every S3 call of the service, as {@link Mono}s with a timeout and one error mapping: a store that cannot be
 * reached, times out or answers 5xx becomes 503 problem JSON; a missing object becomes 404. An error a caller put
 * into a streamed body (e.g. the 413 of an oversized upload) comes back unchanged.
 */
@Component
public class S3ObjectStore implements ObjectStore {

    /** Marks a {@link #put} whose body failed before its multipart upload was created. */
    private static final Object FAILED = new Object();

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    /** Largest object one CopyObject copies (S3's limit); larger ones are copied in parts. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    /** Part size of a multipart copy. */
    static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    /** The slowest copy rate a copy's timeout allows for (AWS copies at hundreds of MB/s). */
    private static final long COPY_BYTES_PER_SECOND = 20L * 1024 * 1024;

    private final S3AsyncClient s3;
    private final SlabPool pool;
    private final String bucket;
    private final Duration timeout;
    private final int uploadConcurrency;

    S3ObjectStore(S3AsyncClient s3, SlabPool pool, S3Properties properties) {
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
        // null: not started; the creation's future: started; FAILED: the body failed first. A creation that starts
        // after the body failed (its precondition was still running: cache() does not cancel it) aborts itself.
        AtomicReference<Object> creating = new AtomicReference<>();
        AtomicReference<String> uploadId = new AtomicReference<>();
        AtomicReference<String> singleEtag = new AtomicReference<>();
        Set<CompletableFuture<?>> partsInFlight = ConcurrentHashMap.newKeySet();
        Mono<String> created = precondition
                .then(Mono.defer(() -> {
                    if (creating.get() == FAILED) {
                        return Mono.error(new CancellationException("the upload failed before it was created"));
                    }
                    Target to = target.get();
                    CompletableFuture<CreateMultipartUploadResponse> creation =
                            s3.createMultipartUpload(request -> request.bucket(bucket)
                                    .key(to.key())
                                    .contentType(to.contentType())
                                    .metadata(to.metadata()));
                    if (!creating.compareAndSet(null, creation)) {
                        creation.thenCompose(response -> s3.abortMultipartUpload(request ->
                                        request.bucket(bucket).key(to.key()).uploadId(response.uploadId())))
                                .whenComplete((aborted, error) -> {
                                    if (error != null) {
                                        log.warn(
                                                "could not abort the late multipart upload of {}: {}",
                                                to.key(),
                                                error.toString());
                                    }
                                });
                        return Mono.error(new CancellationException("the upload failed while it was being created"));
                    }
                    return uncancellable(creation);
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
                            return created.flatMap(id -> Mono.defer(() -> {
                                CompletableFuture<UploadPartResponse> upload = s3.uploadPart(
                                        request -> request.bucket(bucket)
                                                .key(target.get().key())
                                                .uploadId(id)
                                                .partNumber(slab.number())
                                                .contentLength((long) slab.length()),
                                        AsyncRequestBody.fromByteBufferUnsafe(slab.content()));
                                partsInFlight.add(upload);
                                upload.whenComplete((response, error) -> {
                                    partsInFlight.remove(upload);
                                    // only now: until the request has finished the client may still read the array
                                    pool.give(slab.bytes());
                                });
                                // not cancelled with the body: the abort below waits for it instead
                                return uncancellable(upload).map(response -> CompletedPart.builder()
                                        .partNumber(slab.number())
                                        .eTag(response.eTag())
                                        .build());
                            }));
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
                    // a part still being sent when the upload is aborted can land after the abort and leave an
                    // incomplete upload behind (S3 says so too): abort once every started part has finished
                    Mono<Void> settled = Mono.fromFuture(
                                    CompletableFuture.allOf(partsInFlight.toArray(CompletableFuture[]::new))
                                            .handle((done, failed) -> done),
                                    true)
                            .timeout(timeout)
                            .onErrorResume(ignored -> Mono.empty())
                            .then();
                    Object creation = creating.getAndSet(FAILED);
                    Mono<Void> cleanUp = creation instanceof CompletableFuture<?> started
                            ? settled.then(uncancellable(started)
                                    .cast(CreateMultipartUploadResponse.class)
                                    .flatMap(response ->
                                            abortMultipartUpload(target.get().key(), response.uploadId()))
                                    .onErrorResume(ignored -> Mono.empty()))
                            : Mono.empty();
                    return cleanUp.then(Mono.error(translate(error)));
                });
    }

    @Override
    public Mono<StoredObject> head(String key) {
        return call(() -> s3.headObject(request -> request.bucket(bucket).key(key)))
                .map(S3ObjectStore::stored);
    }

    private static StoredObject stored(HeadObjectResponse head) {
        String etag = head.eTag() == null ? null : head.eTag().replace("\"", "");
        return new StoredObject(head.contentLength(), head.contentType(), etag, head.lastModified(), head.metadata());
    }

    @Override
    public Mono<StoredObject> headIfPresent(String key) {
        return head(key)
                .onErrorResume(
                        error -> error instanceof ProblemException problem
                                && problem.getStatusCode().value() == 404,
                        error -> Mono.empty());
    }

    @Override
    public Mono<Void> delete(String key) {
        return call(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)))
                .then();
    }

    @Override
    public Mono<Void> deleteQuietly(String key) {
        return delete(key).onErrorResume(error -> Mono.empty());
    }

    /**
     * Server-side copy of {@code from} to {@code to} as an object of {@code contentType} with {@code metadata}; a
     * multipart copy above S3's 5 GiB limit of a single CopyObject. Given time in proportion to the size (the store
     * copies at its own pace, and a large copy outlasts the per-call timeout).
     *
     * @return the copy's ETag
     */
    @Override
    public Mono<String> copy(String from, String to, long size, String contentType, Map<String, String> metadata) {
        return copy(from, to, size, contentType, metadata, MAX_SINGLE_COPY, COPY_PART_SIZE);
    }

    /** {@link #copy} with the limits as parameters, so a test can take the multipart path with small objects. */
    Mono<String> copy(
            String from,
            String to,
            long size,
            String contentType,
            Map<String, String> metadata,
            long singleCopyLimit,
            long partSize) {
        Duration allowed = timeout.plusSeconds(size / COPY_BYTES_PER_SECOND);
        if (size <= singleCopyLimit) {
            return Mono.fromFuture(() -> s3.copyObject(request -> request.sourceBucket(bucket)
                            .sourceKey(from)
                            .destinationBucket(bucket)
                            .destinationKey(to)
                            .metadataDirective(MetadataDirective.REPLACE)
                            .contentType(contentType)
                            .metadata(metadata)
                            .overrideConfiguration(call -> call.apiCallTimeout(allowed))))
                    .timeout(allowed)
                    .onErrorMap(S3ObjectStore::translate)
                    .map(response -> response.copyObjectResult().eTag());
        }
        int parts = (int) ((size + partSize - 1) / partSize);
        return call(() -> s3.createMultipartUpload(request ->
                        request.bucket(bucket).key(to).contentType(contentType).metadata(metadata)))
                .map(CreateMultipartUploadResponse::uploadId)
                .flatMap(uploadId -> Flux.range(1, parts)
                        .concatMap(number -> {
                            long first = (number - 1) * partSize;
                            long last = Math.min(size, first + partSize) - 1;
                            return call(() -> s3.uploadPartCopy(request -> request.sourceBucket(bucket)
                                            .sourceKey(from)
                                            .destinationBucket(bucket)
                                            .destinationKey(to)
                                            .uploadId(uploadId)
                                            .partNumber(number)
                                            .copySourceRange("bytes=" + first + "-" + last)))
                                    .map(response -> CompletedPart.builder()
                                            .partNumber(number)
                                            .eTag(response.copyPartResult().eTag())
                                            .build());
                        })
                        .collectList()
                        .flatMap(completed -> completeMultipartUpload(to, uploadId, completed))
                        .map(CompleteMultipartUploadResponse::eTag)
                        .onErrorResume(error -> abortMultipartUpload(to, uploadId)
                                .onErrorResume(ignored -> Mono.empty())
                                .then(Mono.error(error))));
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
        return Mono.fromFuture(future, true).timeout(timeout).onErrorMap(S3ObjectStore::translate);
    }

    private <T> Mono<T> call(Supplier<CompletableFuture<T>> future) {
        return Mono.fromFuture(future).timeout(timeout).onErrorMap(S3ObjectStore::translate);
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
