import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CI smoke checks of the cross-service flows that end in a browser (docs/e2e.md has the full end-to-end tests), one
 * flow per run, against a running suite, through the gateway and the broker only. Each prints one {@code ok} line, or
 * {@code SMOKE FAILED: …} and exits 1. JDK only, run with the source launcher:
 *
 * <pre>
 * java .ci/FlowSmoke.java upload   &lt;base&gt; &lt;token of user U&gt; U
 * java .ci/FlowSmoke.java camera   &lt;base&gt; &lt;admin token&gt; &lt;mqtt host:port&gt;
 * java .ci/FlowSmoke.java github   &lt;base&gt; &lt;admin token&gt; &lt;DEPLOY_WEBHOOK_SECRET&gt;
 * java .ci/FlowSmoke.java push     &lt;base&gt; &lt;admin token&gt; &lt;DASHBOARD_API_KEY&gt;
 * </pre>
 *
 * {@code base} is {@code http://localhost:8080/project-dashboard}. The WebSocket client subscribes before the flow
 * starts and waits for the flow's frames: {@code file:uploaded}, {@code device:upload} progress, {@code
 * deployment:step}/{@code deployment:completed}, {@code webhook:delivered}.
 */
public class FlowSmoke {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            fail("usage: java .ci/FlowSmoke.java upload|camera|github|push <base> <token> <argument>");
        }
        String base = args[1];
        String token = args[2];
        switch (args[0]) {
            case "upload" -> upload(base, token, args[3]);
            case "camera" -> camera(base, token, args[3]);
            case "github" -> github(base, token, args[3]);
            case "push" -> push(base, token, args[3]);
            default -> fail("unknown flow " + args[0]);
        }
    }

    /** A browser upload (multipart, through the gateway) is announced on the uploader's WebSocket and listed. */
    static void upload(String base, String token, String user) throws Exception {
        String task = "smoke-flow-" + System.currentTimeMillis();
        try (Frames browser = Frames.open(base, token)) {
            browser.subscribe("user:" + user);
            String boundary = "smoke" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scene.bin\""
                            + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(new byte[64 * 1024]);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> uploaded = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files/upload?task_id=" + task))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
            check(uploaded.statusCode() == 200, "upload answered " + uploaded.statusCode() + " " + uploaded.body());
            String key = field(uploaded.body(), "object_key");
            String frame = browser.await("\"file:uploaded\"", "\"object_key\":\"" + key + "\"");
            check(frame.contains("\"size\":65536"), "file:uploaded frame: " + frame);
        }
        HttpResponse<String> listed = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files?task_id=" + task))
                .header("Authorization", "Bearer " + token));
        check(listed.statusCode() == 200 && listed.body().contains("\"count\":1"), "file list: " + listed.body());
        System.out.println("ok   browser upload -> file-service -> events:files -> realtime: file:uploaded on the"
                + " uploader's WebSocket, listed");
    }

    /** A registered camera's MQTT upload with progress reports reaches the device channel's WebSocket subscriber. */
    static void camera(String base, String admin, String mqtt) throws Exception {
        String device = "SMOKE_FLOW_CAM_" + System.currentTimeMillis();
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"device_id\":\"" + device + "\",\"name\":\"smoke\"}")));
        check(registered.statusCode() == 201, "device registration answered " + registered.statusCode() + " "
                + registered.body());
        String secret = field(registered.body(), "mqtt_password");
        String cloudPath = device + "/2025/07/11/143022_motion_video.ts";
        byte[] recording = new byte[32 * 1024];
        try (Frames browser = Frames.open(base, admin);
                Mqtt camera = Mqtt.connect(mqtt, device, secret)) {
            browser.subscribe("device:" + device);
            camera.subscribe("devices/" + device + "/upload/response");
            camera.publish("devices/" + device + "/upload/request", "{\"request_id\":\"smoke_1\",\"file_name\":\""
                    + cloudPath + "\",\"file_size\":" + recording.length + ",\"priority\":2,\"timestamp\":"
                    + Instant.now().getEpochSecond() + ",\"device_id\":\"" + device + "\",\"metadata\":"
                    + "{\"content_type\":\"video/mp2t\",\"format\":\"H264/MPEG-TS\",\"trigger\":\"motion_detection\","
                    + "\"duration\":120,\"resolution\":\"1080p\"}}");
            String answer = camera.receive(Duration.ofSeconds(20));
            check(answer.contains("\"success\":true"), "upload answer: " + answer);
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(field(answer, "upload_url")))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(recording));
            int open = answer.indexOf('{', answer.indexOf("\"extra_headers\""));
            Matcher headers = Pattern.compile("\"([^\"]+)\":\"([^\"]*)\"")
                    .matcher(answer.substring(open, answer.indexOf('}', open)));
            while (headers.find()) {
                put.header(headers.group(1), headers.group(2));
            }
            int stored = send(put).statusCode();
            check(stored == 200, "PUT to the presigned URL answered " + stored);
            String local = "\"file_path\":\"/sdcard/recordings/motion_20250711_143022.ts\"";
            camera.publish("devices/" + device + "/status/upload", "{\"event\":\"upload_started\"," + local
                    + ",\"filename\":\"motion_20250711_143022.ts\",\"cloud_path\":\"" + cloudPath + "\",\"file_size\":"
                    + recording.length + ",\"priority\":2,\"timestamp\":" + Instant.now().getEpochSecond() + "}");
            camera.publish("devices/" + device + "/status/upload", "{\"event\":\"upload_progress\"," + local
                    + ",\"progress_percentage\":50,\"bytes_uploaded\":16384,\"total_bytes\":" + recording.length
                    + ",\"upload_speed_kbps\":512,\"estimated_time_remaining_sec\":1,\"timestamp\":"
                    + Instant.now().getEpochSecond() + "}");
            browser.await("\"device.upload_progress\"", "\"progress_percentage\":50");
        }
        System.out.println("ok   camera -> broker -> device-bridge -> events:devices -> realtime: device:upload"
                + " progress on device:" + device);
    }

    /** GitHub's signed workflow_job and workflow_run webhooks reach the project channel's WebSocket subscriber. */
    static void github(String base, String admin, String secret) throws Exception {
        String repository = "smoke-repo-" + System.currentTimeMillis();
        long run = System.currentTimeMillis();
        String repo = ",\"repository\":{\"id\":1,\"name\":\"" + repository + "\",\"full_name\":\"smoke/" + repository
                + "\"}}";
        try (Frames browser = Frames.open(base, admin)) {
            browser.subscribe("project:" + repository);
            github(base, secret, "workflow_job", "{\"action\":\"completed\",\"workflow_job\":{\"id\":1,\"run_id\":" + run
                    + ",\"workflow_name\":\"deploy\",\"name\":\"build\",\"status\":\"completed\",\"conclusion\":"
                    + "\"success\",\"started_at\":\"2024-06-03T08:15:10Z\",\"completed_at\":\"2024-06-03T08:16:10Z\","
                    + "\"steps\":[{\"name\":\"Compile\",\"status\":\"completed\",\"conclusion\":\"success\","
                    + "\"number\":1}]}" + repo);
            github(base, secret, "workflow_run", "{\"action\":\"completed\",\"workflow_run\":{\"id\":" + run
                    + ",\"name\":\"deploy\",\"status\":\"completed\",\"conclusion\":\"success\",\"workflow_id\":7,"
                    + "\"run_started_at\":\"2024-06-03T08:15:02Z\",\"updated_at\":\"2024-06-03T08:17:01Z\"}" + repo);
            browser.await("\"deployment:step\"", "\"step_name\":\"build / Compile\"");
            String completed = browser.await("\"deployment:completed\"", "\"deployment_id\":\"" + run + "\"");
            check(completed.contains("\"status\":\"success\""), "deployment:completed frame: " + completed);
        }
        System.out.println("ok   GitHub workflow_job/workflow_run (signed) -> deploy-notifier -> events:deployments ->"
                + " realtime: deployment:step and deployment:completed on project:" + repository);
    }

    private static void github(String base, String secret, String event, String payload) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/api/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + hmac(secret, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)));
        check(answer.statusCode() == 202, event + " answered " + answer.statusCode() + " " + answer.body());
    }

    /** task.completed is pushed to a registered webhook, and webhook.delivered reaches the task channel. */
    static void push(String base, String admin, String apiKey) throws Exception {
        String task = "smoke-flow-push-" + System.currentTimeMillis();
        BlockingQueue<String> pushed = new LinkedBlockingQueue<>();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/hook", exchange -> {
            pushed.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        try (Frames browser = Frames.open(base, admin)) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"smoke flow\",\"url\":\"http://127.0.0.1:"
                            + sink.getAddress().getPort() + "/hook\",\"event_types\":[\"task.completed\"],"
                            + "\"subject_prefix\":\"task:" + task + "\"}")));
            check(created.statusCode() == 201, "registration answered " + created.statusCode() + " " + created.body());
            String webhook = field(created.body(), "id");
            browser.subscribe("task:" + task);
            HttpResponse<String> published = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/realtime/publish"))
                    .header("X-Api-Key", apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"task:" + task + "\",\"type\":"
                            + "\"task.completed\",\"data\":{\"task_id\":\"" + task + "\",\"user_id\":\"smoke-user\","
                            + "\"result_files\":[],\"render_time\":1.5,\"cost\":0.2}}")));
            check(published.statusCode() == 200, "publish answered " + published.statusCode() + " " + published.body());
            String body = pushed.poll(30, TimeUnit.SECONDS);
            check(body != null && body.contains(task), "the webhook got " + body);
            String delivered = browser.await("\"webhook:delivered\"", "\"webhook_id\":\"" + webhook + "\"");
            check(delivered.contains("\"http_status\":200"), "webhook:delivered frame: " + delivered);
            send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks/" + webhook))
                    .header("Authorization", "Bearer " + admin)
                    .DELETE());
        } finally {
            sink.stop(0);
        }
        System.out.println("ok   task.completed -> push-service -> webhook sink; webhook:delivered on task:" + task);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        check(matcher.find(), "no " + name + " in " + json);
        return matcher.group(1);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
    }

    static void fail(String message) {
        System.err.println("SMOKE FAILED: " + message);
        System.exit(1);
    }

    /** The native WebSocket (/ws?token=) a browser opens through the gateway; every text frame kept in order. */
    static final class Frames implements AutoCloseable {

        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private WebSocket socket;

        static Frames open(String base, String token) throws Exception {
            Frames opened = new Frames();
            opened.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws?token=" + token),
                            new WebSocket.Listener() {
                                private final StringBuilder text = new StringBuilder();

                                @Override
                                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                    text.append(data);
                                    if (last) {
                                        opened.frames.add(text.toString());
                                        text.setLength(0);
                                    }
                                    ws.request(1);
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            opened.await("\"connection:established\"", "");
            return opened;
        }

        void subscribe(String channel) throws Exception {
            socket.sendText("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}", true).join();
            await("\"subscribed\"", "\"channel\":\"" + channel + "\"");
        }

        /** The first frame holding both texts, within 30 s; an error frame fails at once. */
        String await(String event, String detail) throws Exception {
            for (String frame : seen) {
                if (frame.contains(event) && frame.contains(detail)) {
                    return frame;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (frame == null) {
                    break;
                }
                seen.add(frame);
                check(!frame.startsWith("{\"event\":\"error\""), "error frame while waiting for " + event + ": " + frame);
                if (frame.contains(event) && frame.contains(detail)) {
                    return frame;
                }
            }
            fail("no " + event + " frame with " + detail + " within 30 s; received: " + seen);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /**
     * The camera's side of MQTT 3.1.1, just what source 001 needs (CONNECT with username and password, SUBSCRIBE and
     * PUBLISH at QoS 1, their acknowledgements): written out because the source launcher has only the JDK.
     */
    static final class Mqtt implements AutoCloseable {

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private int packetId;

        private Mqtt(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Mqtt connect(String hostPort, String clientId, String password) throws IOException {
            int colon = hostPort.lastIndexOf(':');
            Socket socket = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            socket.setSoTimeout(20_000);
            Mqtt mqtt = new Mqtt(socket);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(4); // protocol level 3.1.1
            body.write(0xC2); // user name, password, clean session
            body.write(0);
            body.write(60); // keep alive, seconds
            string(body, clientId);
            string(body, clientId); // user name = device id
            string(body, password);
            mqtt.packet(0x10, body.toByteArray());
            byte[] connAck = mqtt.expect(0x20);
            check(connAck[1] == 0, "the broker refused the camera's CONNECT with return code " + connAck[1]);
            return mqtt;
        }

        void subscribe(String filter) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            id(body);
            string(body, filter);
            body.write(1);
            packet(0x82, body.toByteArray());
            byte[] subAck = expect(0x90);
            check((subAck[2] & 0x80) == 0, "the broker refused the subscription to " + filter);
        }

        void publish(String topic, String payload) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, topic);
            id(body);
            body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
            packet(0x32, body.toByteArray());
            expect(0x40);
        }

        /** The next message on a subscribed topic. */
        String receive(Duration wait) throws Exception {
            String message = received.poll();
            if (message != null) {
                return message;
            }
            socket.setSoTimeout((int) wait.toMillis());
            expect(-1);
            return received.take();
        }

        /** Reads packets until one of this type (-1: a PUBLISH); PUBLISHes met on the way are kept and acknowledged. */
        private byte[] expect(int type) throws IOException {
            while (true) {
                int header = in.readUnsignedByte();
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    int digit = in.readUnsignedByte();
                    length |= (digit & 0x7F) << shift;
                    if ((digit & 0x80) == 0) {
                        break;
                    }
                }
                byte[] body = new byte[length];
                in.readFully(body);
                if ((header & 0xF0) == 0x30) {
                    int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
                    int offset = 2 + topicLength;
                    if ((header & 0x06) != 0) {
                        packet(0x40, new byte[] {body[offset], body[offset + 1]});
                        offset += 2;
                    }
                    received.add(new String(body, offset, body.length - offset, StandardCharsets.UTF_8));
                    if (type == -1) {
                        return body;
                    }
                } else if ((header & 0xF0) == type) {
                    return body;
                }
            }
        }

        private void id(ByteArrayOutputStream body) {
            packetId++;
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }

        private void packet(int header, byte[] body) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(header);
            int length = body.length;
            do {
                int digit = length % 128;
                length /= 128;
                packet.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            packet.writeBytes(body);
            out.write(packet.toByteArray());
            out.flush();
        }

        private static void string(ByteArrayOutputStream out, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xFF);
            out.writeBytes(bytes);
        }

        @Override
        public void close() throws IOException {
            packet(0xE0, new byte[0]);
            socket.close();
        }
    }
}
