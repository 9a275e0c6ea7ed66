package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.MalformedPacketException;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.Packet;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz test of the Socket.IO packet parser: whatever an Engine.IO message frame holds, {@link SocketIoPackets#decode}
 * answers a packet the connection can act on or its own refusal (the connection closes with 3501, as the reference
 * server does), never another exception.
 *
 * <p>Under {@code mvn verify} it runs in Jazzer's regression mode: each seed in {@code
 * SocketIoPacketsFuzzTestsInputs/aMessageFrameIsDecodedOrRefusedAsMalformed/} (what the stock client sends, hostile
 * variants) and every finding saved there, once. To fuzz for real, see "Hostile input" in docs/realtime-service.md
 * ({@code JAZZER_FUZZ=1}, {@code -Djazzer.hooks=true}).
 */
class SocketIoPacketsFuzzTests {

    // what the stock client's parser can read back as an acknowledgement id (a JS number)
    private static final long MAX_ACK_ID = (1L << 53) - 1;

    @FuzzTest(maxDuration = "60s")
    void aMessageFrameIsDecodedOrRefusedAsMalformed(byte[] frame) {
        Packet packet;
        try {
            packet = SocketIoPackets.decode(new String(frame, StandardCharsets.UTF_8));
        } catch (MalformedPacketException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(packet.namespace()).startsWith("/");
        if (packet.ackId() != null) {
            assertThat(packet.ackId()).isBetween(0L, MAX_ACK_ID);
        }
        switch (packet.type()) {
            case EVENT -> {
                // what SocketIoProtocol reads of an event
                assertThat(packet.eventName()).isNotNull();
                packet.argument(0);
            }
            case CONNECT ->
                assertThat(packet.data() == null || packet.data().isObject()).isTrue();
            case DISCONNECT -> assertThat(packet.data()).isNull();
            case ACK -> assertThat(packet.data().isArray()).isTrue();
            case CONNECT_ERROR -> assertThat(packet.data()).isNotNull();
            case BINARY_EVENT, BINARY_ACK -> throw new AssertionError("binary packets are refused: " + packet);
        }
    }
}
