package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The public file API (source 000), reached through the gateway at {@code /project-dashboard/api/v1/files}. */
@RestController
@RequestMapping("/api/v1/files")
class FileController {

    static final String FILE_PART = "file";

    private final FileService service;

    FileController(FileService service) {
        this.service = service;
    }

    /**
     * Multipart upload, read as {@link PartEvent}s so the file streams to S3 without touching memory beyond one
     * part buffer or the local disk. Exactly one part named {@code file}; other form fields are ignored.
     */
    @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<FileViews.Uploaded> upload(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam("task_id") String taskId,
            @RequestParam(name = "kind", required = false) String kind,
            @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength,
            @RequestBody Flux<PartEvent> parts) {
        FileKind fileKind = FileKind.ofParameter(kind);
        return service.checkUpload(user, taskId, contentLength)
                .thenMany(fileParts(parts, (file, content) -> {
                    MediaType type = file.headers().getContentType();
                    return service.store(
                            user,
                            taskId,
                            fileKind,
                            file.filename(),
                            type == null ? "application/octet-stream" : type.toString(),
                            content);
                }))
                .collectList()
                .flatMap(FileController::single);
    }

    /**
     * Splits the part events into parts (Spring's documented {@code windowUntil(isLast)} + {@code switchOnFirst}
     * pattern) and hands each part named {@code file} with its content to {@code store}, which may subscribe to
     * the content later (after a database query): the window buffers until then. Other parts are read and their
     * buffers released, once each: {@code handle} without emitting neither forwards nor discards.
     *
     * <p>A refusal that came after the part was read to its end (bad name, type, duplicate: {@code store} drains
     * the body first) is held back until the rest of the request has been read. Erroring at once would cancel the
     * request body mid-stream, and on that path inbound buffers already handed out were released a second time,
     * freeing Netty's decode buffer while it was in use ({@code IllegalReferenceCountException}, 500s) - memory
     * the pool may hand to another connection. Errors while the part is still streaming (413, S3 down) cancel at
     * once, as the rest of a body that may be gigabytes must not be read.
     */
    static <T> Flux<T> fileParts(Flux<PartEvent> parts, BiFunction<FilePartEvent, Flux<DataBuffer>, Mono<T>> store) {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    // after a refusal, further file parts are only drained: the request fails as a whole
                    if (first.get() instanceof FilePartEvent file
                            && FILE_PART.equals(file.name())
                            && refused.get() == null) {
                        AtomicBoolean readToEnd = new AtomicBoolean();
                        Flux<DataBuffer> content = events.doOnNext(event -> {
                                    if (event.isLast()) {
                                        readToEnd.set(true);
                                    }
                                })
                                .map(PartEvent::content);
                        return store.apply(file, content).onErrorResume(error -> readToEnd.get(), error -> {
                            refused.compareAndSet(null, error);
                            return Mono.empty();
                        });
                    }
                    return events.<T>handle((event, sink) -> DataBufferUtils.release(event.content()))
                            .then(Mono.<T>empty());
                }))
                .concatWith(Mono.defer(() -> refused.get() == null ? Mono.empty() : Mono.error(refused.get())));
    }

    private static Mono<FileViews.Uploaded> single(List<FileViews.Uploaded> uploaded) {
        if (uploaded.size() == 1) {
            return Mono.just(uploaded.get(0));
        }
        // a second file part was stored too: that is a client error, but the files are kept and recorded
        return Mono.error(
                uploaded.isEmpty()
                        ? FileNames.invalid("file", "a multipart part named 'file' is required")
                        : new ProblemException(HttpStatus.BAD_REQUEST, "Send one file per request"));
    }

    @GetMapping("/download/{taskId}/{filename}")
    Mono<FileViews.DownloadUrl> download(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable String taskId,
            @PathVariable String filename,
            @RequestParam(name = "kind", required = false) String kind,
            @RequestParam(name = "expire_time", required = false) Long expireTime) {
        return service.downloadUrl(user, taskId, filename, kind, expireTime);
    }

    @PostMapping("/upload-url")
    Mono<FileViews.UploadUrl> uploadUrl(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam("task_id") String taskId,
            @RequestParam("filename") String filename,
            @RequestParam(name = "content_type", required = false) String contentType,
            @RequestParam(name = "kind", required = false) String kind,
            @RequestParam(name = "expire_time", required = false) Long expireTime) {
        return service.uploadUrl(user, taskId, filename, contentType, kind, expireTime);
    }

    /** After a PUT through an upload URL: records the file and publishes {@code file.uploaded}. */
    @PostMapping("/confirm")
    Mono<FileViews.Uploaded> confirm(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("object_key") String objectKey) {
        return service.confirm(user, objectKey);
    }

    @GetMapping("/info/{*objectKey}")
    Mono<FileViews.Info> info(@AuthenticationPrincipal DashboardPrincipal user, @PathVariable String objectKey) {
        return service.info(user, stripSlash(objectKey));
    }

    @GetMapping
    Mono<FileViews.TaskFiles> list(
            @AuthenticationPrincipal DashboardPrincipal user, @RequestParam("task_id") String taskId) {
        return service.list(user, taskId);
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
