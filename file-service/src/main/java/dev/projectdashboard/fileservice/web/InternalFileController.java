package dev.projectdashboard.fileservice.web;

import dev.projectdashboard.fileservice.domain.ExpirySeconds;
import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.domain.FileOrKey;
import dev.projectdashboard.fileservice.domain.ResourceId;
import dev.projectdashboard.fileservice.files.FileService;
import dev.projectdashboard.fileservice.files.FileViews;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Internal file API for other services ({@code X-Api-Key}; the gateway does not route {@code /internal/**}): they act
 * for no user, so no task is anyone's to them. The file travels in the body because a key contains {@code /}.
 */
@RestController
@RequestMapping("/internal/v1/files")
class InternalFileController {

    /**
     * @param taskId the task whose file is asked for
     * @param file a file name of the task, or the full object key of one of its files
     * @param expireTime URL lifetime in seconds, 1 … 604800; one hour when absent
     */
    record DownloadUrlRequest(
            @NotNull(message = FileNames.ID_RULE) @ResourceId String taskId,
            @NotNull(message = "must not be blank") @FileOrKey String file,
            @ExpirySeconds Long expireTime) {}

    private final FileService service;

    InternalFileController(FileService service) {
        this.service = service;
    }

    /** A presigned GET of a task's file: push-service's {@code {{file_url}}} for a task's first result file. */
    @PostMapping("/download-url")
    Mono<FileViews.DownloadUrl> downloadUrl(@Valid @RequestBody DownloadUrlRequest request) {
        return service.downloadUrlForService(request.taskId(), request.file(), request.expireTime());
    }
}
