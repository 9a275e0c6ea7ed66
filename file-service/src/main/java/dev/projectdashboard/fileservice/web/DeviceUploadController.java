package dev.projectdashboard.fileservice.web;

import dev.projectdashboard.fileservice.device.DeviceUploadService;
import dev.projectdashboard.fileservice.device.DeviceUploads;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Internal API for device-bridge ({@code X-Api-Key}; the gateway does not route {@code /internal/**}). Object keys
 * travel in bodies and query parameters because they contain {@code /}.
 */
@RestController
@RequestMapping("/internal/v1/device-uploads")
class DeviceUploadController {

    private final DeviceUploadService service;

    DeviceUploadController(DeviceUploadService service) {
        this.service = service;
    }

    @PostMapping
    Mono<DeviceUploads.Presigned> presign(@Valid @RequestBody DeviceUploads.PresignRequest request) {
        return service.presign(request);
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
