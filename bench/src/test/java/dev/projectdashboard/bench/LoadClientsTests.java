package dev.projectdashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadClientsTests {

    @Test
    void readsTheSendTimeAtTheEndOfANativePublication() {
        String frame =
                "{\"event\":\"deployment:log\",\"channel\":\"project:bench\",\"offset\":7,\"type\":\"deployment.log\","
                        + "\"data\":{\"project\":\"bench\",\"message\":\"xx\",\"seq\":3,\"sent_us\":1795400000123456}}";

        assertThat(LoadClients.sentMicros(buffer(frame))).isEqualTo(1795400000123456L);
    }

    @Test
    void readsTheSendTimeOfASocketIoEvent() {
        String frame = "42[\"event\",{\"type\":\"log_entry\",\"payload\":{\"seq\":1,\"sent_us\":1795400000000001}}]";

        assertThat(LoadClients.sentMicros(buffer(frame))).isEqualTo(1795400000000001L);
    }

    @Test
    void findsTheFieldWhenOtherFieldsFollowIt() {
        String frame = "{\"event\":\"notification\",\"data\":{\"sent_us\":42,\"seq\":1},\"offset\":9}";

        assertThat(LoadClients.sentMicros(buffer(frame))).isEqualTo(42);
    }

    @Test
    void controlFramesAreNotDeliveries() {
        assertThat(LoadClients.sentMicros(buffer(
                        "{\"event\":\"subscribed\",\"data\":{\"channel\":\"project:bench\"," + "\"offset\":12}}")))
                .isEqualTo(-1);
        assertThat(LoadClients.sentMicros(buffer("2"))).isEqualTo(-1);
        assertThat(LoadClients.sentMicros(buffer("430[{\"ok\":true}]"))).isEqualTo(-1);
        assertThat(LoadClients.sentMicros(buffer("{\"x_sent_us\":5}"))).isEqualTo(-1);
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
