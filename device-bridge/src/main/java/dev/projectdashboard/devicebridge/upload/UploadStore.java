package dev.projectdashboard.devicebridge.upload;

import dev.projectdashboard.devicebridge.domain.Upload;
import java.time.Instant;
import reactor.core.publisher.Mono;

/** Where upload requests and what they were answered are kept. */
public interface UploadStore {

    Mono<Upload> find(String deviceId, String requestId);

    /** Stores a first answer; {@code false} when another replica stored one for the same request first. */
    Mono<Boolean> insert(Upload upload);

    /** Records a repeated request and the answer it got (a fresh URL when the old one had expired). */
    Mono<Void> repeated(String deviceId, String requestId, String response, Instant urlExpiresAt, Instant now);
}
