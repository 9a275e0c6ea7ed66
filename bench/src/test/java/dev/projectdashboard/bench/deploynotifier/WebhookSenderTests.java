package dev.projectdashboard.bench.deploynotifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookSenderTests {

    private final WebhookSender sender =
            new WebhookSender(URI.create("http://127.0.0.1:9"), "secret", "bench", 3, 1, 1);

    @AfterEach
    void close() {
        sender.close();
    }

    @Test
    void signsWithLowercaseHexHmacSha256OfTheBody() {
        // RFC 4231, test case 2
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

        assertThat(WebhookSender.signature("Jefe", body))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void buildsADistinctSource002LogEntryPerSequenceNumber() {
        JsonNode first = JsonMapper.builder().build().readTree(sender.body(4, 1795400000123456L));

        assertThat(first.path("type").asString()).isEqualTo("log_entry");
        assertThat(first.path("project").asString()).isEqualTo("bench");
        assertThat(first.path("deployment_id").asString()).isEqualTo("bench-run-1");
        assertThat(first.path("level").asString()).isEqualTo("info");
        assertThat(first.path("timestamp").asString()).endsWith("Z");
        assertThat(first.path("message").asString()).isEqualTo("bench line 4 sent_us=1795400000123456");
        assertThat(sender.body(5, -1)).isNotEqualTo(sender.body(4, -1));
    }

    @Test
    void readsTheSendTimeFromTheMessageOfARealtimeServiceFrame() {
        String frame = "{\"event\":\"deployment:log\",\"channel\":\"project:bench\",\"offset\":3,\"type\":"
                + "\"deployment.log\",\"data\":{\"project\":\"bench\",\"deployment_id\":\"bench-run-0\","
                + "\"log_stream_id\":\"bench\",\"timestamp\":\"2026-11-23T05:00:00.123Z\",\"level\":\"info\","
                + "\"message\":\"bench line 7 sent_us=1795400000123456\",\"source\":\"workflow\"}}";

        assertThat(WebhookSender.stampedMicros(buffer(frame))).isEqualTo(1795400000123456L);
    }

    @Test
    void framesWithoutAStampAreNotDeliveries() {
        assertThat(WebhookSender.stampedMicros(buffer(
                        "{\"event\":\"subscribed\",\"data\":{\"channel\":" + "\"project:bench\",\"offset\":0}}")))
                .isEqualTo(-1);
        assertThat(WebhookSender.stampedMicros(buffer("{\"data\":{\"message\":\"bench line 1\"}}")))
                .isEqualTo(-1);
        assertThat(WebhookSender.stampedMicros(buffer("{\"message\":\"sent_us=\"}")))
                .isEqualTo(-1);
        assertThat(WebhookSender.stampedMicros(buffer("sent_us="))).isEqualTo(-1);
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
