package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.MalformedPacketException;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.Packet;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The codec against frames captured from the reference socket.io 4.8 server and client (research §2). */
class SocketIoPacketsTests {

    private static JsonNode json(String text) {
        return SocketIoPackets.json().readTree(text);
    }

    @Test
    void decodesConnectWithAuthToTheDefaultNamespace() {
        Packet packet = SocketIoPackets.decode("40{\"token\":\"good\"}");

        assertThat(packet.type()).isEqualTo(Type.CONNECT);
        assertThat(packet.namespace()).isEqualTo("/");
        assertThat(packet.ackId()).isNull();
        assertThat(packet.data().get("token").asString()).isEqualTo("good");
    }

    @Test
    void decodesConnectWithoutAuth() {
        Packet packet = SocketIoPackets.decode("40");

        assertThat(packet.type()).isEqualTo(Type.CONNECT);
        assertThat(packet.data()).isNull();
    }

    @Test
    void decodesConnectToANamedNamespace() {
        Packet packet = SocketIoPackets.decode("40/project-dashboard/ws,{\"token\":\"good\"}");

        assertThat(packet.namespace()).isEqualTo("/project-dashboard/ws");
        assertThat(packet.data().get("token").asString()).isEqualTo("good");
        assertThat(SocketIoPackets.decode("40/admin").namespace()).isEqualTo("/admin");
    }

    @Test
    void decodesEventWithAckId() {
        Packet packet = SocketIoPackets.decode("420[\"subscribe_project\",\"axi-star-cloud\"]");

        assertThat(packet.type()).isEqualTo(Type.EVENT);
        assertThat(packet.ackId()).isZero();
        assertThat(packet.eventName()).isEqualTo("subscribe_project");
        assertThat(packet.argument(0).asString()).isEqualTo("axi-star-cloud");
        assertThat(packet.argument(1)).isNull();
    }

    @Test
    void decodesEventWithNamespaceAndMultiDigitAckId() {
        Packet packet = SocketIoPackets.decode("42/project-dashboard/ws,17[\"subscribe_deployment\",\"123\"]");

        assertThat(packet.namespace()).isEqualTo("/project-dashboard/ws");
        assertThat(packet.ackId()).isEqualTo(17L);
        assertThat(packet.eventName()).isEqualTo("subscribe_deployment");
    }

    @Test
    void decodesEventWithoutAckAndDisconnect() {
        assertThat(SocketIoPackets.decode("42[\"unsubscribe_project\",\"p\"]").ackId())
                .isNull();
        Packet disconnect = SocketIoPackets.decode("41");
        assertThat(disconnect.type()).isEqualTo(Type.DISCONNECT);
        assertThat(SocketIoPackets.decode("41/project-dashboard/ws,").namespace())
                .isEqualTo("/project-dashboard/ws");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "zzz", // garbage: the stock server closes the connection
                "4", // message without a Socket.IO packet
                "49[]", // unknown packet type
                "451-[\"x\",{\"_placeholder\":true,\"num\":0}]", // binary event
                "42{\"not\":\"an array\"}",
                "42[]", // event without a name
                "42[1,2]", // event name not a string
                "42[\"a\"", // truncated JSON
                "42[\"a\"]garbage", // trailing data after the JSON
                "40[\"auth must be an object\"]",
                "41{\"disconnect\":\"carries no payload\"}",
                "43{\"ack\":\"must be an array\"}",
                "4299999999999999999[\"too\",\"big\"]" // ack id beyond a JS number
            })
    void rejectsMalformedFrames(String frame) {
        assertThatThrownBy(() -> SocketIoPackets.decode(frame)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void encodesOpenPacketLikeTheReferenceServer() {
        String open = SocketIoPackets.open("8zSgTWuymjkTrG3gAAAA", 25000, 20000, 1000000);

        assertThat(open)
                .isEqualTo("0{\"sid\":\"8zSgTWuymjkTrG3gAAAA\",\"upgrades\":[],\"pingInterval\":25000,"
                        + "\"pingTimeout\":20000,\"maxPayload\":1000000}");
    }

    @Test
    void encodesConnectReplyPerNamespace() {
        assertThat(SocketIoPackets.connect("/", "LcJ85sF8TH3g13wUAAAA"))
                .isEqualTo("40{\"sid\":\"LcJ85sF8TH3g13wUAAAA\"}");
        assertThat(SocketIoPackets.connect("/project-dashboard/ws", "aWIF"))
                .isEqualTo("40/project-dashboard/ws,{\"sid\":\"aWIF\"}");
    }

    @Test
    void encodesConnectErrorWithAndWithoutData() {
        assertThat(SocketIoPackets.connectError("/nope", "Invalid namespace", null))
                .isEqualTo("44/nope,{\"message\":\"Invalid namespace\"}");
        assertThat(SocketIoPackets.connectError("/", "unauthorized", json("{\"code\":4001,\"reason\":\"bad token\"}")))
                .isEqualTo("44{\"message\":\"unauthorized\",\"data\":{\"code\":4001,\"reason\":\"bad token\"}}");
    }

    @Test
    void encodesAckAndEventAndDisconnect() {
        assertThat(SocketIoPackets.ack("/", 0, json("{\"ok\":true,\"channel\":\"project:axi-star-cloud\"}")))
                .isEqualTo("430[{\"ok\":true,\"channel\":\"project:axi-star-cloud\"}]");
        assertThat(SocketIoPackets.ack("/project-dashboard/ws", 12)).isEqualTo("43/project-dashboard/ws,12[]");
        assertThat(SocketIoPackets.event("/", "event", json("{\"type\":\"step_started\",\"payload\":{}}")))
                .isEqualTo("42[\"event\",{\"type\":\"step_started\",\"payload\":{}}]");
        assertThat(SocketIoPackets.disconnect("/")).isEqualTo("41");
        assertThat(SocketIoPackets.disconnect("/project-dashboard/ws")).isEqualTo("41/project-dashboard/ws,");
    }

    @Test
    void encodedPacketsDecodeBack() {
        String frame = SocketIoPackets.ack("/project-dashboard/ws", 42, json("{\"ok\":false}"));

        Packet packet = SocketIoPackets.decode(frame);

        assertThat(packet.type()).isEqualTo(Type.ACK);
        assertThat(packet.namespace()).isEqualTo("/project-dashboard/ws");
        assertThat(packet.ackId()).isEqualTo(42L);
        assertThat(packet.data().get(0).get("ok").asBoolean()).isFalse();
    }
}
