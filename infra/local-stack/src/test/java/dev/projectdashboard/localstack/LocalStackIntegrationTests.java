package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

@LocalStackTest
class LocalStackIntegrationTests {

    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalStack stack;
    private static S3Client s3;
    private static S3Presigner presigner;

    @BeforeAll
    static void clients(LocalStack localStack) {
        stack = localStack;
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey()));
        S3Configuration pathStyle =
                S3Configuration.builder().pathStyleAccessEnabled(true).build();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        presigner = S3Presigner.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .build();
    }

    @AfterAll
    static void closeClients() {
        s3.close();
        presigner.close();
    }

    @Test
    void extensionHandsOutTheOneSharedStack(LocalStack parameter) {
        assertThat(parameter).isSameAs(LocalStackExtension.localStack());
    }

    @Test
    void environmentPointsTheServicesAtThisStack() {
        Map<String, String> env = stack.environment();

        assertThat(env)
                .containsEntry("REDIS_URL", "redis://127.0.0.1:" + stack.redisPort())
                .containsEntry("POSTGRES_HOST", "127.0.0.1")
                .containsEntry("POSTGRES_PORT", Integer.toString(stack.postgresPort()))
                .containsEntry("POSTGRES_DB", "dashboard")
                .containsEntry("POSTGRES_USER", "dashboard")
                .containsEntry("POSTGRES_PASSWORD", "dashboard")
                .containsEntry("MQTT_HOST", "127.0.0.1")
                .containsEntry("MQTT_PORT", Integer.toString(stack.mqttPort()))
                .containsEntry("S3_ENDPOINT", stack.s3Endpoint())
                .containsEntry("S3_REGION", "us-east-1")
                .containsEntry("S3_BUCKET", "project-dashboard")
                .containsEntry("S3_ACCESS_KEY", "local-access-key")
                .containsEntry("S3_SECRET_KEY", "local-secret-key")
                .containsEntry("S3_PATH_STYLE", "true")
                .hasSize(14);
        assertThat(stack.postgresJdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/dashboard");
        assertThat(stack.postgresR2dbcUrl())
                .isEqualTo("r2dbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/dashboard");
        assertThat(List.of(stack.redisPort(), stack.postgresPort(), stack.mqttPort()))
                .doesNotHaveDuplicates()
                .doesNotContain(6379, 5432, 1883);
    }

    @Test
    void redisAnswersPingAndServesStreamsToConsumerGroups() {
        RedisClient client = RedisClient.create(stack.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String stream = "events:test-" + UUID.randomUUID();

            assertThat(redis.ping()).isEqualTo("PONG");
            redis.xgroupCreate(
                    XReadArgs.StreamOffset.from(stream, "0"), "readers", XGroupCreateArgs.Builder.mkstream());
            String id = redis.xadd(stream, Map.of("event", "{\"type\":\"task.progress\"}"));
            List<StreamMessage<String, String>> read =
                    redis.xreadgroup(Consumer.from("readers", "one"), XReadArgs.StreamOffset.lastConsumed(stream));

            assertThat(read).singleElement().satisfies(message -> {
                assertThat(message.getId()).isEqualTo(id);
                assertThat(message.getBody()).containsEntry("event", "{\"type\":\"task.progress\"}");
            });
            assertThat(redis.xack(stream, "readers", id)).isEqualTo(1);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void postgresLetsTheDashboardUserCreateItsSchema() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        stack.postgresJdbcUrl(), stack.postgresUsername(), stack.postgresPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA files_test");
            statement.execute("CREATE TABLE files_test.item (id bigint PRIMARY KEY)");
            statement.execute("INSERT INTO files_test.item VALUES (1)");

            try (ResultSet rs = statement.executeQuery(
                    "SELECT current_user, current_database(), current_setting('server_version_num')::int,"
                            + " (SELECT count(*) FROM files_test.item)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("dashboard");
                assertThat(rs.getString(2)).isEqualTo("dashboard");
                assertThat(rs.getInt(3)).isGreaterThanOrEqualTo(170000);
                assertThat(rs.getLong(4)).isEqualTo(1);
            }
            statement.execute("DROP SCHEMA files_test CASCADE");
        }
    }

    @Test
    void mqttBrokerDeliversAPublishToASubscriber() throws Exception {
        Mqtt5BlockingClient subscriber = mqttClient("subscriber");
        Mqtt5BlockingClient publisher = mqttClient("publisher");
        try {
            subscriber
                    .subscribeWith()
                    .topicFilter("devices/+/upload/request")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                publisher
                        .publishWith()
                        .topic("devices/cam-1/upload/request")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload("{\"request_id\":\"r1\"}".getBytes(StandardCharsets.UTF_8))
                        .send();

                Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);

                assertThat(received).hasValueSatisfying(publish -> {
                    assertThat(publish.getTopic().toString()).isEqualTo("devices/cam-1/upload/request");
                    assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("{\"request_id\":\"r1\"}");
                });
            }
        } finally {
            subscriber.disconnect();
            publisher.disconnect();
        }
    }

    @Test
    void mqttBrokerKeepsRetainedMessagesAndQueuesForAPersistentSession() throws Exception {
        String device = "cam-" + UUID.randomUUID();
        String sessionId = "bridge-" + UUID.randomUUID();
        Mqtt5BlockingClient publisher = mqttClient("publisher");
        try {
            // a persistent session subscribes, goes away, and must get what was published meanwhile
            Mqtt5BlockingClient bridge = persistentClient(sessionId);
            bridge.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            bridge.subscribeWith()
                    .topicFilter("devices/" + device + "/status/upload")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            bridge.disconnect();
            publisher
                    .publishWith()
                    .topic("devices/" + device + "/status/upload")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .payload("queued".getBytes(StandardCharsets.UTF_8))
                    .send();
            publisher
                    .publishWith()
                    .topic("devices/" + device + "/upload/response")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload("retained".getBytes(StandardCharsets.UTF_8))
                    .send();

            Mqtt5BlockingClient resumed = persistentClient(sessionId);
            // listen before connecting: the queued message arrives right after CONNACK
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = resumed.publishes(MqttGlobalPublishFilter.ALL)) {
                resumed.connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(60)
                        .send();
                resumed.subscribeWith()
                        .topicFilter("devices/" + device + "/upload/response")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();

                List<String> payloads = List.of(
                        payload(publishes.receive(5, TimeUnit.SECONDS)),
                        payload(publishes.receive(5, TimeUnit.SECONDS)));

                assertThat(payloads).containsExactlyInAnyOrder("queued", "retained");
            } finally {
                resumed.disconnectWith().sessionExpiryInterval(0).send();
            }
        } finally {
            publisher
                    .publishWith()
                    .topic("devices/" + device + "/upload/response")
                    .retain(true)
                    .send();
            publisher.disconnect();
        }
    }

    @Test
    void s3StoresAndReturnsAnObjectThroughTheSdk() {
        String key = "scenes/" + UUID.randomUUID() + "/scene.txt";

        s3.putObject(
                PutObjectRequest.builder().bucket(stack.s3Bucket()).key(key).build(), RequestBody.fromString("scene"));

        assertThat(s3.getObjectAsBytes(GetObjectRequest.builder()
                                .bucket(stack.s3Bucket())
                                .key(key)
                                .build())
                        .asUtf8String())
                .isEqualTo("scene");
    }

    @Test
    void s3KeepsObjectsInFilesUnderTheStackDirectoryNotInTheHeap() throws Exception {
        String key = "scenes/" + UUID.randomUUID() + "/on-disk.bin";
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(content);

        s3.putObject(
                PutObjectRequest.builder().bucket(stack.s3Bucket()).key(key).build(), RequestBody.fromBytes(content));

        Path s3Dir = stack.workDir().resolve("s3");
        try (Stream<Path> files = Files.walk(s3Dir)) {
            assertThat(files.filter(Files::isRegularFile)
                            .filter(file -> file.toString().endsWith("on-disk.bin")))
                    .singleElement()
                    .satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(content));
        }
    }

    @Test
    void s3AcceptsAPresignedPutFromAPlainHttpClient() throws Exception {
        String key = "devices/" + UUID.randomUUID() + "/photo.jpg";
        PresignedPutObjectRequest presigned = presignPut(key, Duration.ofMinutes(5));

        HttpResponse<String> response =
                http.send(put(presigned.url().toURI(), "jpeg-bytes"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(GetObjectRequest.builder()
                                .bucket(stack.s3Bucket())
                                .key(key)
                                .build())
                        .asUtf8String())
                .isEqualTo("jpeg-bytes");
    }

    @Test
    void s3RejectsAPresignedPutWithATamperedSignature() throws Exception {
        PresignedPutObjectRequest presigned = presignPut("devices/tampered.jpg", Duration.ofMinutes(5));
        String url = presigned.url().toString();
        int signatureAt = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char first = url.charAt(signatureAt);
        String tampered = url.substring(0, signatureAt) + (first == 'a' ? 'b' : 'a') + url.substring(signatureAt + 1);

        HttpResponse<String> response =
                http.send(put(URI.create(tampered), "evil"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("SignatureDoesNotMatch");
    }

    @Test
    void s3RejectsAnExpiredPresignedPut() {
        PresignedPutObjectRequest presigned = presignPut("devices/late.jpg", Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    HttpResponse<String> response =
                            http.send(put(presigned.url().toURI(), "late"), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertThat(response.body()).containsIgnoringCase("expired");
                });
    }

    @Test
    void redisComesBackOnTheSamePortWithItsDataAfterAnOutage() {
        int port = stack.redisPort();
        String key = "outage:" + UUID.randomUUID();
        String stream = "events:outage-" + UUID.randomUUID();
        RedisClient client = RedisClient.create(stack.redisUri());
        try {
            String delivered;
            String written;
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                redis.set(key, "kept");
                redis.xgroupCreate(
                        XReadArgs.StreamOffset.from(stream, "0"), "readers", XGroupCreateArgs.Builder.mkstream());
                delivered = redis.xadd(stream, Map.of("event", "1"));
                written = redis.xadd(stream, Map.of("event", "2"));
                // delivered to the group but not acknowledged: it must still be pending after the restart
                assertThat(redis.xreadgroup(
                                Consumer.from("readers", "one"),
                                XReadArgs.Builder.count(1),
                                XReadArgs.StreamOffset.lastConsumed(stream)))
                        .singleElement()
                        .extracting(StreamMessage::getId)
                        .isEqualTo(delivered);
            }

            stack.stopRedis();
            assertThatThrownBy(client::connect).isInstanceOf(RedisConnectionException.class);
            stack.startRedis();

            assertThat(stack.redisPort()).isEqualTo(port);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                assertThat(redis.get(key)).isEqualTo("kept");
                assertThat(redis.xpending(stream, "readers").getCount()).isEqualTo(1);
                // the group goes on after the entry it delivered last, not from the start
                assertThat(redis.xreadgroup(
                                Consumer.from("readers", "one"), XReadArgs.StreamOffset.lastConsumed(stream)))
                        .singleElement()
                        .extracting(StreamMessage::getId)
                        .isEqualTo(written);
                redis.del(key, stream);
            }
        } finally {
            stack.startRedis();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void s3ComesBackOnTheSamePortWithItsObjectsAfterAnOutage() throws Exception {
        String key = "results/" + UUID.randomUUID() + "/result.json";
        s3.putObject(
                PutObjectRequest.builder().bucket(stack.s3Bucket()).key(key).build(), RequestBody.fromString("{}"));
        try {
            stack.stopS3();
            assertThatThrownBy(() -> http.send(
                            HttpRequest.newBuilder(URI.create(stack.s3Endpoint()))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(ConnectException.class);

            stack.startS3();

            assertThat(s3.getObjectAsBytes(GetObjectRequest.builder()
                                    .bucket(stack.s3Bucket())
                                    .key(key)
                                    .build())
                            .asUtf8String())
                    .isEqualTo("{}");
        } finally {
            stack.startS3();
        }
    }

    private static PresignedPutObjectRequest presignPut(String key, Duration validFor) {
        return presigner.presignPutObject(request -> request.signatureDuration(validFor)
                .putObjectRequest(put -> put.bucket(stack.s3Bucket()).key(key)));
    }

    private static HttpRequest put(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String payload(Optional<Mqtt5Publish> publish) {
        return publish.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .orElse("<nothing within 5 s>");
    }

    private static Mqtt5BlockingClient persistentClient(String identifier) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(identifier)
                .serverHost(stack.mqttHost())
                .serverPort(stack.mqttPort())
                .buildBlocking();
    }

    private static Mqtt5BlockingClient mqttClient(String name) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(name + "-" + UUID.randomUUID())
                .serverHost(stack.mqttHost())
                .serverPort(stack.mqttPort())
                .buildBlocking();
        client.connect();
        return client;
    }
}
