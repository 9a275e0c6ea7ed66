package dev.projectdashboard.fileservice.domain;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Where the bytes of files are kept, as far as recording and reading files needs it; the S3 adapter
 * ({@code storage.S3ObjectStore}) implements it. An unreachable store fails with a 503
 * {@link dev.projectdashboard.starter.problem.ProblemException}, a missing object with a 404 one.
 */
public interface ObjectStore {

    /** The object at {@code key}; a 404 problem when there is none. */
    Mono<StoredObject> head(String key);

    /** The object at {@code key}, or empty when there is none. */
    Mono<StoredObject> headIfPresent(String key);

    Mono<Void> delete(String key);

    /** Best-effort removal while compensating another failure: its own error must not hide the first one. */
    Mono<Void> deleteQuietly(String key);

    /**
     * Copies {@code from} to {@code to} inside the store, as an object of {@code contentType} with {@code metadata}.
     *
     * @return the copy's ETag
     */
    Mono<String> copy(String from, String to, long size, String contentType, Map<String, String> metadata);
}
