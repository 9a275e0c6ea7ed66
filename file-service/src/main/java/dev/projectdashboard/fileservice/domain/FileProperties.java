package dev.projectdashboard.fileservice.domain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.MimeType;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What file-service accepts and where it puts it ({@code dashboard.files.*}).
 *
 * @param sceneFolder top folder of scene files ({@code S3_SCENE_FOLDER} or {@code OSS_SCENE_FOLDER})
 * @param resultFolder top folder of render results ({@code S3_RESULT_FOLDER} or {@code OSS_RESULT_FOLDER})
 * @param publicBaseUrl base of the {@code url} field of upload answers ({@code S3_PUBLIC_BASE_URL} or
 *     {@code OSS_BASE_URL}); the key is appended
 * @param maxSize largest file accepted, counted on the streamed bytes ({@code FILES_MAX_SIZE})
 * @param allowedContentTypes content types an upload may declare; wildcards such as {@code image/*} allowed
 * @param defaultExpiry expiry of presigned URLs when the request names none
 * @param device presigned device uploads (docs/contracts.md, Cameras over MQTT)
 * @param pending files PUT through upload URLs, recorded without a confirm call
 */
@Validated
@ConfigurationProperties("dashboard.files")
public record FileProperties(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}") @DefaultValue("scenes") String sceneFolder,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}") @DefaultValue("results") String resultFolder,
        String publicBaseUrl,
        @NotNull @DefaultValue("5GB") DataSize maxSize,
        @NotEmpty
                @DefaultValue({
                    "application/octet-stream",
                    "application/zip",
                    "application/gzip",
                    "application/x-tar",
                    // what browsers declare for a Blender scene (.blend) picked in a file input
                    "application/x-blender",
                    "application/json",
                    "text/plain",
                    "image/*",
                    "video/*",
                    "model/*"
                })
                List<String> allowedContentTypes,
        @NotNull @DefaultValue("1h") Duration defaultExpiry,
        @NotNull @Valid @DefaultValue Device device,
        @NotNull @Valid @DefaultValue Pending pending) {

    public FileProperties {
        if (pending != null
                && (pending.stagingFolder().equals(sceneFolder)
                        || pending.stagingFolder().equals(resultFolder))) {
            throw new IllegalArgumentException(
                    "dashboard.files.pending.staging-folder must differ from the scene and result folders");
        }
    }

    /** Shortest and longest presigned URL lifetime a request may ask for (SigV4 allows at most 7 days). */
    public static final Duration MIN_EXPIRY = Duration.ofSeconds(1);

    public static final Duration MAX_EXPIRY = Duration.ofDays(7);

    /**
     * @param singlePutLimit largest file that gets one presigned PUT (S3 takes at most 5 GiB in one PUT; lower it for
     *     a store that takes less); larger files, and requests that ask for it, get a presigned multipart upload
     * @param partSize part size of multipart uploads (at least 5 MiB, S3's minimum)
     * @param storageClass {@code x-amz-storage-class} the device must send; empty for the bucket default
     * @param serverSideEncryption {@code x-amz-server-side-encryption} (e.g. {@code AES256}); empty for none
     */
    public record Device(
            @NotNull @DefaultValue("5GB") DataSize singlePutLimit,
            @NotNull @DefaultValue("16MB") DataSize partSize,
            @DefaultValue("") String storageClass,
            @DefaultValue("") String serverSideEncryption) {

        public Device {
            if (singlePutLimit != null && singlePutLimit.toBytes() < 1) {
                throw new IllegalArgumentException("dashboard.files.device.single-put-limit must be positive");
            }
            if (partSize != null && partSize.toBytes() < DataSize.ofMegabytes(5).toBytes()) {
                throw new IllegalArgumentException("dashboard.files.device.part-size must be at least 5MB");
            }
        }
    }

    /**
     * How files PUT through upload URLs get recorded when no client reads them or calls {@code confirm}.
     *
     * @param recordAfter the sweep first looks for the object this long after its URL was issued
     * @param checkInterval the sweep looks again this long after a look found nothing (or could not publish the
     *     event); also how long a sweep's lease on a pending upload lasts
     * @param sweepInterval how often each replica sweeps
     * @param sweepBatch pending uploads one sweep takes at most
     * @param grace how long after its URL expired a pending upload without an object is kept: a PUT that started
     *     before the expiry may still be streaming
     * @param readLimit pending uploads of one task that a list request looks for in the store
     * @param stagingFolder top folder of the keys upload URLs write; an object there is copied to the file's key
     *     when recorded, and removed
     */
    public record Pending(
            @NotNull @DefaultValue("30s") Duration recordAfter,
            @NotNull @DefaultValue("30s") Duration checkInterval,
            @NotNull @DefaultValue("5s") Duration sweepInterval,
            @Min(1) @Max(1000) @DefaultValue("100") int sweepBatch,
            @NotNull @DefaultValue("1h") Duration grace,
            @Min(1) @Max(1000) @DefaultValue("100") int readLimit,
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}") @DefaultValue("incoming") String stagingFolder) {}

    /** Whether a declared content type is on the allow-list (parameters such as charset are ignored). */
    public boolean allows(String contentType) {
        MimeType type;
        try {
            type = MimeType.valueOf(contentType.toLowerCase(Locale.ROOT));
        } catch (RuntimeException invalid) {
            return false;
        }
        return allowedContentTypes.stream().map(MimeType::valueOf).anyMatch(allowed -> allowed.includes(type));
    }
}
