package dev.projectdashboard.realtimeservice.nativews;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz test of the native protocol's frame parser: whatever text a client sends, {@link NativeFrames#parse} answers a
 * checked request or its own refusal (an {@code error} 107 on the wire), never another exception, which would end the
 * connection's inbound stream instead.
 *
 * <p>Under {@code mvn verify} it runs in Jazzer's regression mode: each seed in {@code
 * NativeFramesFuzzTestsInputs/aClientFrameIsParsedOrRefused/} (the contract's native frames (docs/contracts.md), this service's, hostile variants)
 * and every finding saved there, once. To fuzz for real, see "Hostile input" in docs/realtime-service.md ({@code
 * JAZZER_FUZZ=1}, {@code -Djazzer.hooks=true}).
 */
class NativeFramesFuzzTests {

    @FuzzTest(maxDuration = "60s")
    void aClientFrameIsParsedOrRefused(byte[] frame) {
        NativeFrames.Request request;
        try {
            request = NativeFrames.parse(new String(frame, StandardCharsets.UTF_8));
        } catch (NativeFrames.BadFrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            // an error frame repeats at most a short event name, never what the client sent at any length
            if (refused.request() != null) {
                assertThat(refused.request()).matches("[A-Za-z0-9:._-]{1,64}");
            }
            if (refused.channel() != null) {
                ChannelName.parse(refused.channel());
            }
            return;
        }
        // a request holds only what the hub can take as it is
        if (request instanceof NativeFrames.Request.Subscribe subscribe) {
            assertThat(ChannelName.parse(subscribe.channel().toString())).isEqualTo(subscribe.channel());
            if (subscribe.since() != null) {
                assertThat(subscribe.since().offset()).isNotNegative();
                assertThat(subscribe.since().epoch()).isNotNull();
            }
        } else if (request instanceof NativeFrames.Request.Unsubscribe unsubscribe) {
            assertThat(ChannelName.parse(unsubscribe.channel().toString())).isEqualTo(unsubscribe.channel());
        } else if (request instanceof NativeFrames.Request.Refresh refresh) {
            assertThat(refresh.token()).isNotBlank();
        } else if (request instanceof NativeFrames.Request.Publish publish) {
            assertThat(ChannelName.parse(publish.channel().toString())).isEqualTo(publish.channel());
            assertThat(publish.dataJson()).isNotEmpty();
        } else {
            assertThat(request).isInstanceOf(NativeFrames.Request.Ping.class);
        }
    }
}
