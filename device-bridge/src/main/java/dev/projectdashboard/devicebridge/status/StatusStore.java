package dev.projectdashboard.devicebridge.status;

import dev.projectdashboard.devicebridge.domain.Upload;
import reactor.core.publisher.Mono;

/** The uploads status reports update. */
public interface StatusStore {

    /** The newest upload of the device with this cloud path. */
    Mono<Upload> findByObjectKey(String deviceId, String objectKey);

    /** The newest upload of the device started from this local file, open ones first. */
    Mono<Upload> findByLocalFile(String deviceId, String localFilePath);

    /** Writes the report-driven columns of the upload (state, progress, timings, error, verification). */
    Mono<Void> update(Upload upload);
}
