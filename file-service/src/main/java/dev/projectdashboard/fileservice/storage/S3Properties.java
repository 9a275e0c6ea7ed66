package dev.projectdashboard.fileservice.storage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where file-service keeps the file bytes: any S3-compatible store (AWS, MinIO, s3proxy, Aliyun OSS).
 *
 * @param endpoint endpoint override ({@code S3_ENDPOINT}); empty for the AWS endpoint of {@code region}; a host
 *     without a scheme, as in {@code OSS_ENDPOINT=oss-cn-beijing.aliyuncs.com} (docs/contracts.md, Files), means
 *     {@code https://}
 * @param region signing region ({@code S3_REGION}); when empty, the region of an Aliyun OSS endpoint
 *     ({@code oss-cn-beijing.aliyuncs.com} signs for {@code cn-beijing}), else {@code us-east-1}
 * @param bucket the one bucket holding {@code scenes/} and {@code results/} ({@code S3_BUCKET})
 * @param accessKey access key id ({@code S3_ACCESS_KEY})
 * @param secretKey secret access key ({@code S3_SECRET_KEY})
 * @param pathStyle path-style addressing ({@code S3_PATH_STYLE}); when unset, off for AWS and Aliyun OSS (they want
 *     virtual-hosted style, {@code bucket.host}) and on for every other endpoint (local servers, MinIO)
 * @param requestTimeout upper bound of one S3 API call, retries included
 * @param createBucket create the bucket at start-up when it is missing ({@code S3_CREATE_BUCKET}; meant for local
 *     runs only: elsewhere a missing bucket is a start-up error)
 * @param uploadPartSize part size of the multipart uploads that stream files of unknown length to S3; also the
 *     unit one upload buffers (S3's minimum part size is 5 MiB, this service's maximum 512 MiB)
 * @param uploadConcurrency parts of one streamed upload sent to S3 at the same time; an upload holds at most this
 *     many parts plus two in memory
 */
@Validated
@ConfigurationProperties("dashboard.s3")
public record S3Properties(
        @Pattern(regexp = "(https?://\\S+)?", message = "must be empty or an http(s) URL such as http://localhost:9000")
                String endpoint,
        String region,
        // S3 bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "must be a valid S3 bucket name")
                String bucket,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        Boolean pathStyle,
        @NotNull @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("false") boolean createBucket,
        @NotNull @DefaultValue("8MB") DataSize uploadPartSize,
        @Min(1) @Max(16) @DefaultValue("2") int uploadConcurrency) {

    private static final java.util.regex.Pattern ALIYUN_OSS_HOST =
            java.util.regex.Pattern.compile("(?:s3\\.)?oss-([a-z0-9-]+?)(?:-internal)?\\.aliyuncs\\.com");

    public S3Properties {
        if (endpoint != null && !endpoint.isBlank() && !endpoint.contains("://")) {
            endpoint = "https://" + endpoint;
        }
        String host = host(endpoint);
        if (region == null || region.isBlank()) {
            Matcher oss = ALIYUN_OSS_HOST.matcher(host);
            region = oss.matches() ? oss.group(1) : "us-east-1";
        }
        if (pathStyle == null) {
            pathStyle = !(host.isEmpty() || host.endsWith(".amazonaws.com") || host.endsWith(".aliyuncs.com"));
        }
        if (uploadPartSize != null
                && uploadPartSize.toBytes() < DataSize.ofMegabytes(5).toBytes()) {
            throw new IllegalArgumentException(
                    "dashboard.s3.upload-part-size must be at least 5MB (S3's minimum part size)");
        }
        if (uploadPartSize != null
                && uploadPartSize.toBytes() > DataSize.ofMegabytes(512).toBytes()) {
            throw new IllegalArgumentException("dashboard.s3.upload-part-size must be at most 512MB");
        }
    }

    /**
     * Aliyun OSS's S3 API, which wants payloads signed whole rather than in {@code aws-chunked} encoding (Alibaba
     * Cloud's guide to the AWS SDKs).
     */
    public boolean aliyunOss() {
        return host(endpoint).endsWith(".aliyuncs.com");
    }

    private static String host(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "";
        }
        try {
            String host = URI.create(endpoint).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException invalid) {
            return ""; // the @Pattern on endpoint reports it
        }
    }

    /** The endpoint override, or {@code null} to let the SDK use the AWS endpoint of the region. */
    public URI endpointOverride() {
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint);
    }
}
