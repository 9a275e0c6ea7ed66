package dev.projectdashboard.fileservice.web;

import dev.projectdashboard.fileservice.domain.ExpirySeconds;
import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileName;
import dev.projectdashboard.fileservice.domain.ResourceId;
import dev.projectdashboard.fileservice.files.FileService;
import dev.projectdashboard.fileservice.files.FileViews;
import dev.projectdashboard.fileservice.files.MultipartScanner;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public file API (docs/contracts.md, Files), reached through the gateway at
 * {@code /project-dashboard/api/v1/files}. Query parameters are checked by their constraints before a handler runs,
 * so every 400 for them is the starter's problem JSON with {@code errors: [{field, message}]}; keys and names in the
 * path are checked by the service (a captured {@code {*objectKey}} still carries its leading slash here).
 */
@RestController
@RequestMapping("/api/v1/files")
class FileController {

    /** {@code kind}: absent or empty for a scene file. */
    private static final String KINDS = "(scene|result)?";

    private static final String KIND_RULE = "must be 'scene' or 'result'";

    private final FileService service;

    FileController(FileService service) {
        this.service = service;
    }

    /**
     * Multipart upload of one part named {@code file}, read from the raw body by {@code StreamedUpload} so the
     * file streams to S3 without touching the local disk or holding more than a few parts in memory. Other form
     * fields are ignored.
     */
    @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<FileViews.Uploaded> upload(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam("task_id") @ResourceId String taskId,
            @RequestParam(name = "kind", required = false) @Pattern(regexp = KINDS, message = KIND_RULE) String kind,
            ServerHttpRequest request) {
        FileKind fileKind = FileKind.ofParameter(kind);
        MediaType type = request.getHeaders().getContentType();
        String boundary = MultipartScanner.boundary(type == null ? null : type.getParameter("boundary"));
        long contentLength = request.getHeaders().getContentLength();
        return service.checkUpload(user, taskId, contentLength < 0 ? null : contentLength)
                .then(Mono.defer(
                        () -> service.upload(user, taskId, fileKind, boundary, contentLength, request.getBody())));
    }

    @GetMapping("/download/{taskId}/{filename}")
    Mono<FileViews.DownloadUrl> download(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable String taskId,
            @PathVariable String filename,
            @RequestParam(name = "kind", required = false) @Pattern(regexp = KINDS, message = KIND_RULE) String kind,
            @RequestParam(name = "expire_time", required = false) @ExpirySeconds Long expireTime) {
        return service.downloadUrl(user, taskId, filename, kind, expireTime);
    }

    @PostMapping("/upload-url")
    Mono<FileViews.UploadUrl> uploadUrl(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam("task_id") @ResourceId String taskId,
            @RequestParam("filename") @FileName String filename,
            @RequestParam(name = "content_type", required = false) String contentType,
            @RequestParam(name = "kind", required = false) @Pattern(regexp = KINDS, message = KIND_RULE) String kind,
            @RequestParam(name = "expire_time", required = false) @ExpirySeconds Long expireTime,
            @RequestParam(name = "size", required = false) @PositiveOrZero(message = "must not be negative")
                    Long size) {
        return service.uploadUrl(user, taskId, filename, contentType, kind, expireTime, size);
    }

    /**
     * Optional after a PUT through an upload URL (the first read records the file too): records it now and
     * publishes {@code file.uploaded}.
     */
    @PostMapping("/confirm")
    Mono<FileViews.Uploaded> confirm(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("object_key") String objectKey) {
        return service.confirm(user, objectKey);
    }

    @GetMapping("/info/{*objectKey}")
    Mono<FileViews.Info> info(@AuthenticationPrincipal DashboardPrincipal user, @PathVariable String objectKey) {
        return service.info(user, stripSlash(objectKey));
    }

    /** {@code info} with the key as a parameter: any stored key, whatever it takes to put it in a path. */
    @GetMapping("/info")
    Mono<FileViews.Info> infoByParameter(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("object_key") String objectKey) {
        return service.info(user, objectKey);
    }

    @GetMapping
    Mono<FileViews.TaskFiles> list(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("task_id") @ResourceId String taskId) {
        return service.list(user, taskId);
    }

    /** {@code DELETE} with the key as a parameter: any stored key, whatever it takes to put it in a path. */
    @DeleteMapping(params = "object_key")
    Mono<FileViews.Deleted> deleteByParameter(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("object_key") String objectKey) {
        return service.delete(user, objectKey);
    }

    @DeleteMapping("/{*objectKey}")
    Mono<FileViews.Deleted> delete(@AuthenticationPrincipal DashboardPrincipal user, @PathVariable String objectKey) {
        return service.delete(user, stripSlash(objectKey));
    }

    /** {@code {*name}} captures the leading slash too. */
    private static String stripSlash(String captured) {
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }
}
