package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.domain.FileProperties;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.domain.ObjectStore;
import dev.projectdashboard.fileservice.persistence.FileRepository;
import dev.projectdashboard.fileservice.storage.S3Properties;
import dev.projectdashboard.starter.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Writes a stored object's metadata row and publishes {@code file.uploaded}; builds the public {@code url}. */
@Component
public class FileRecorder {

    private final FileRepository files;
    private final FileEvents events;
    private final ObjectStore store;
    private final String publicBaseUrl;

    FileRecorder(
            FileRepository files, FileEvents events, ObjectStore store, FileProperties properties, S3Properties s3) {
        this.files = files;
        this.events = events;
        this.store = store;
        String base = properties.publicBaseUrl();
        if ((base == null || base.isBlank()) && s3.endpointOverride() == null) {
            base = "https://" + s3.bucket() + ".s3." + s3.region() + ".amazonaws.com";
        }
        // without a public base URL, a custom endpoint is internal topology (http://minio:9000…): no url at all
        this.publicBaseUrl = base == null || base.isBlank()
                ? null
                : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Metadata row then event; on failure both the row and (if asked) the object are removed again. */
    public Mono<FileRecord> record(FileRecord file, boolean removeObjectOnFailure) {
        return files.insert(file)
                .onErrorMap(
                        error -> !(error instanceof ProblemException),
                        error -> new ProblemException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "File metadata could not be stored; retry later",
                                error))
                .flatMap(saved -> publishUploaded(saved)
                        .onErrorResume(error -> files.remove(saved.objectKey())
                                .onErrorResume(ignored -> Mono.empty())
                                .then(Mono.error(error)))
                        .thenReturn(saved))
                .onErrorResume(
                        error -> (removeObjectOnFailure ? store.deleteQuietly(file.objectKey()) : Mono.<Void>empty())
                                .then(Mono.error(error)));
    }

    /** {@code file.uploaded} for a recorded file; a Redis outage is a 503 {@link ProblemException}. */
    Mono<Void> publishUploaded(FileRecord file) {
        return events.uploaded(file, url(file.objectKey())).then();
    }

    /**
     * The object's public URL ({@code S3_PUBLIC_BASE_URL} or {@code OSS_BASE_URL}, see docs/contracts.md, Files; or
     * AWS's own), or {@code null} when the store has no public address the service knows of.
     */
    public String url(String key) {
        return publicBaseUrl == null ? null : publicBaseUrl + "/" + key;
    }
}
