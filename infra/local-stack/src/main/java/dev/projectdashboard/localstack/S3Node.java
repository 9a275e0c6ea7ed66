package dev.projectdashboard.localstack;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy in front of an in-memory blob store. It checks SigV2/SigV4 signatures, including presigned URLs and
 * their expiry, so the services' presigning is tested for real. The blob store outlives {@link #stop()}: an outage
 * test gets its objects back after {@link #start()}.
 */
final class S3Node {

    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "local-access-key";
    static final String SECRET_KEY = "local-secret-key";
    static final String BUCKET = "project-dashboard";

    private final int port;
    private final BlobStore blobStore = new TransientNio2BlobStore();
    private S3Proxy proxy;

    S3Node(int port) {
        this.port = port;
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
