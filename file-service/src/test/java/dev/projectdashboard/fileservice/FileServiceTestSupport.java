package dev.projectdashboard.fileservice;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.test.StreamContents;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One Spring context for the API tests, against the local stack; helpers to look into S3, the table and the stream. */
@LocalStackTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT60S")
@DevelopmentSecrets
public abstract class FileServiceTestSupport {

    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    private static S3Client s3;

    @Autowired
    protected WebTestClient client;

    @Autowired
    protected DatabaseClient database;

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void clients() {
        LocalStack stack = LocalStackExtension.localStack();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey())))
                .build();
    }

    @AfterAll
    static void closeClients() {
        s3.close();
    }

    protected static LocalStack stack() {
        return LocalStackExtension.localStack();
    }

    /** Keys in the bucket under a prefix (a fresh connection each time: Redis/S3 may have been restarted). */
    protected static List<String> objectKeys(String prefix) {
        return s3.listObjectsV2(request -> request.bucket(stack().s3Bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    protected static S3Client s3() {
        return s3;
    }

    /** Events on {@code events:files} as JSON strings. */
    protected static List<String> fileEvents() {
        return StreamContents.texts(Streams.FILES);
    }

    /** A JWT-authenticated call that must answer 200, and its JSON body. */
    protected Map<String, Object> okJson(HttpMethod method, String token, String uri) {
        return client.method(method)
                .uri(uri)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                .returnResult()
                .getResponseBody();
    }

    protected long liveRows(String taskId) {
        return database.sql("select count(*) from file_object where task_id = :task")
                .bind("task", taskId)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    protected static String newTaskId() {
        return "task-" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
    }
}
