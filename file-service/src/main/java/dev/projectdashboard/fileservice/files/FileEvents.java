package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.FileDeleted;
import dev.projectdashboard.eventbus.payload.FileUploaded;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code file.uploaded} / {@code file.deleted} on {@code events:files}; a Redis outage becomes a 503. */
@Component
public class FileEvents {

    static final String SOURCE = "/file-service";

    private final EventPublisher publisher;
    private final Clock clock;

    FileEvents(EventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    public Mono<String> uploaded(FileRecord file, String url) {
        FileUploaded data = new FileUploaded(
                file.uploadedBy(),
                file.taskId(),
                file.fileName(),
                file.objectKey(),
                url,
                file.sizeBytes(),
                file.contentType(),
                file.createdAt());
        return publish(CloudEvent.of(EventTypes.FILE_UPLOADED, SOURCE, file.objectKey(), data, clock));
    }

    public Mono<String> deleted(FileRecord file, String userId, Instant when) {
        FileDeleted data = new FileDeleted(userId, file.taskId(), file.objectKey(), when);
        return publish(CloudEvent.of(EventTypes.FILE_DELETED, SOURCE, file.objectKey(), data, clock));
    }

    private Mono<String> publish(CloudEvent<?> event) {
        return publisher
                .publish(event)
                .onErrorMap(
                        error -> !(error instanceof ProblemException),
                        error -> new ProblemException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "The event bus is unavailable; nothing was changed, retry later",
                                error));
    }
}
