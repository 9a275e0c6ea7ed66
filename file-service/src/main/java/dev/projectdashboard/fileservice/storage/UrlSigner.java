package dev.projectdashboard.fileservice.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * SigV4 presigned URLs. Signing is local computation (no call to the store), so it works, and is cheap, while
 * the store is down. The headers a client must send are exactly the ones signed into the URL.
 */
@Component
public class UrlSigner {

    private final S3Presigner presigner;
    private final String bucket;

    UrlSigner(S3Presigner presigner, S3Properties properties) {
        this.presigner = presigner;
        this.bucket = properties.bucket();
    }

    /** A URL the client must use with {@code method} and exactly {@code headers}. */
    public record Signed(String url, String method, Map<String, String> headers, Instant expiresAt) {}

    /** GET whose response makes a browser save the file under {@code fileName}. */
    public Signed get(String key, String fileName, Duration expiry) {
        return signed(presigner.presignGetObject(presign -> presign.signatureDuration(expiry)
                .getObjectRequest(
                        get -> get.bucket(bucket).key(key).responseContentDisposition(attachment(fileName)))));
    }

    public Signed put(String key, Duration expiry, Consumer<PutObjectRequest.Builder> request) {
        return signed(presigner.presignPutObject(presign -> presign.signatureDuration(expiry)
                .putObjectRequest(put -> request.accept(put.bucket(bucket).key(key)))));
    }

    public Signed uploadPart(String key, String uploadId, int partNumber, Duration expiry) {
        return signed(presigner.presignUploadPart(presign -> presign.signatureDuration(expiry)
                .uploadPartRequest(
                        part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber))));
    }

    private static Signed signed(PresignedRequest request) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.signedHeaders().forEach((name, values) -> {
            // every HTTP client sets Host from the URL and Content-Length from the body itself (browsers and Java's
            // HttpClient refuse to be given them); a signed Content-Length still binds the body's length
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("host") && !lower.equals("content-length")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Signed(
                request.url().toString(),
                request.httpRequest().method().name(),
                Map.copyOf(headers),
                request.expiration());
    }

    /** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
    static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
