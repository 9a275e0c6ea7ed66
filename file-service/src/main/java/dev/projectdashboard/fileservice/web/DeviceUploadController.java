package dev.projectdashboard.fileservice.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.projectdashboard.fileservice.device.DeviceUploadService;
import dev.projectdashboard.fileservice.device.DeviceUploads;
import dev.projectdashboard.starter.problem.ProblemMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Internal API for device-bridge ({@code X-Api-Key}; the gateway does not route {@code /internal/**}). Object keys
 * travel in bodies and query parameters because they contain {@code /}.
 */
@RestController
@RequestMapping("/internal/v1/device-uploads")
class DeviceUploadController {

    /** At most this many requests in one batch. */
    static final int MAX_BATCH = 100;

    /** A batch of presign requests; each is checked on its own, so one bad request refuses only itself. */
    record PresignBatch(
            @NotNull(message = "must be given")
                    @Size(min = 1, max = MAX_BATCH, message = "must hold 1 to " + MAX_BATCH + " requests")
                    List<DeviceUploads.@NotNull(message = "must not be null") PresignRequest> requests) {}

    /** One request's answer: {@code status} 200 and the {@code upload}, or the status and {@code problem}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PresignResult(int status, DeviceUploads.Presigned upload, ProblemDetail problem) {

        static PresignResult signed(DeviceUploads.Presigned upload) {
            return new PresignResult(200, upload, null);
        }

        static PresignResult refused(ProblemDetail problem) {
            return new PresignResult(problem.getStatus(), null, problem);
        }
    }

    record PresignResults(List<PresignResult> results) {}

    private final DeviceUploadService service;
    private final Validator validator;
    private final ProblemMapper problems;

    DeviceUploadController(DeviceUploadService service, Validator validator, ProblemMapper problems) {
        this.service = service;
        this.validator = validator;
        this.problems = problems;
    }

    @PostMapping
    Mono<DeviceUploads.Presigned> presign(@Valid @RequestBody DeviceUploads.PresignRequest request) {
        return service.presign(request);
    }

    /**
     * Several presign requests in one call (device-bridge sends the requests that queued up while its previous call
     * was out): one HTTP round trip for the batch, one answer per request in the batch's order, each the body and
     * status the single call would have given (the problem JSON for a refused one).
     */
    @PostMapping("/batch")
    Mono<PresignResults> presignAll(@Valid @RequestBody PresignBatch batch, ServerWebExchange exchange) {
        return Flux.fromIterable(batch.requests())
                .flatMapSequential(request -> Mono.defer(() -> {
                            Set<ConstraintViolation<DeviceUploads.PresignRequest>> violations =
                                    validator.validate(request);
                            if (!violations.isEmpty()) {
                                return Mono.error(new ConstraintViolationException(violations));
                            }
                            return service.presign(request);
                        })
                        .map(PresignResult::signed)
                        .onErrorResume(error -> Mono.just(PresignResult.refused(
                                problems.resolve(error, exchange).body()))))
                .collectList()
                .map(PresignResults::new);
    }

    @GetMapping("/parts")
    Mono<DeviceUploads.PartsStatus> parts(
            @RequestParam("object_key") String objectKey,
            @RequestParam("upload_id") String uploadId,
            @RequestParam("file_size") Long fileSize,
            @RequestParam(name = "expire_time", required = false) Long expireTime) {
        return service.parts(objectKey, uploadId, fileSize, expireTime);
    }

    @PostMapping("/complete")
    Mono<DeviceUploads.Verified> complete(@Valid @RequestBody DeviceUploads.CompleteRequest request) {
        return service.complete(request);
    }

    @PostMapping("/abort")
    Mono<Map<String, Object>> abort(@Valid @RequestBody DeviceUploads.AbortRequest request) {
        return service.abort(request).thenReturn(Map.of("aborted", true, "object_key", request.objectKey()));
    }

    @PostMapping("/verify")
    Mono<DeviceUploads.Verified> verify(@Valid @RequestBody DeviceUploads.VerifyRequest request) {
        return service.verify(request);
    }
}
