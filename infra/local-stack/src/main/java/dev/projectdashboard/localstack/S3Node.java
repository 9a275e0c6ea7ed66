package dev.projectdashboard.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * S3Proxy in front of a blob store on disk ({@code dataDir}), so uploads of any size cost disk, not the local stack's
 * heap. It checks SigV2/SigV4 signatures, including presigned URLs and their expiry, so the services' presigning is
 * tested for real. The blob store outlives {@link #stop()}: an outage test gets its objects back after
 * {@link #start()}.
 */
final class S3Node {

    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "local-access-key";
    static final String SECRET_KEY = "local-secret-key";
    static final String BUCKET = "project-dashboard";

    private final int port;
    private final BlobStore blobStore;
    private S3Proxy proxy;

    S3Node(Path dataDir, int port) throws IOException {
        this.port = port;
        this.blobStore =
                new FilesystemNio2BlobStore(Files.createDirectories(dataDir).toString());
        blobStore.createContainer(BUCKET);
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy candidate = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // outage tests stop it mid-run: do not wait for in-flight requests
                .stopTimeout(0)
                .build();
        try {
            candidate.start();
        } catch (Exception e) {
            // a failed bind leaves Jetty's thread pool running otherwise
            candidate.stop();
            throw e;
        }
        proxy = candidate;
    }

    synchronized void stop() throws Exception {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } finally {
            proxy = null;
        }
    }

    void close() throws Exception {
        stop();
        blobStore.close();
    }
}
