package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.realtimeservice.socketio.EngineIoHandshake.Refusal;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Pre-upgrade checks in the reference server's order, with its error codes (research §2, curl captures). */
class EngineIoHandshakeTests {

    private static MockServerHttpRequest.BaseBuilder<?> upgrade(String query) {
        return MockServerHttpRequest.get("/socket.io/?" + query)
                .header(HttpHeaders.UPGRADE, "websocket")
                .header(HttpHeaders.CONNECTION, "Upgrade");
    }

    @Test
    void acceptsAWebSocketUpgradeOfProtocolVersion4() {
        assertThat(EngineIoHandshake.check(upgrade("EIO=4&transport=websocket").build()))
                .isEmpty();
        assertThat(EngineIoHandshake.check(MockServerHttpRequest.get("/socket.io/?EIO=4&transport=websocket")
                        .header(HttpHeaders.UPGRADE, "WebSocket")
                        .build()))
                .isEmpty();
    }

    @Test
    void refusesPollingAndMissingOrUnknownTransportAsTransportUnknown() {
        assertThat(EngineIoHandshake.check(MockServerHttpRequest.get("/socket.io/?EIO=4&transport=polling&t=abc")
                        .build()))
                .contains(Refusal.TRANSPORT_UNKNOWN);
        assertThat(EngineIoHandshake.check(
                        MockServerHttpRequest.get("/socket.io/").build()))
                .contains(Refusal.TRANSPORT_UNKNOWN);
        assertThat(EngineIoHandshake.check(
                        upgrade("EIO=4&transport=webtransport").build()))
                .contains(Refusal.TRANSPORT_UNKNOWN);
    }

    @Test
    void refusesSessionIdsBecauseOnlyPollingHasSessions() {
        assertThat(EngineIoHandshake.check(
                        upgrade("EIO=4&transport=websocket&sid=abc").build()))
                .contains(Refusal.UNKNOWN_SID);
    }

    @Test
    void refusesNonGetHandshakes() {
        assertThat(EngineIoHandshake.check(MockServerHttpRequest.post("/socket.io/?EIO=4&transport=websocket")
                        .build()))
                .contains(Refusal.BAD_HANDSHAKE_METHOD);
    }

    @Test
    void refusesWebSocketTransportWithoutUpgradeAsBadRequest() {
        assertThat(EngineIoHandshake.check(MockServerHttpRequest.get("/socket.io/?EIO=4&transport=websocket")
                        .build()))
                .contains(Refusal.BAD_REQUEST);
    }

    @Test
    void refusesOtherProtocolVersions() {
        assertThat(EngineIoHandshake.check(upgrade("EIO=3&transport=websocket").build()))
                .contains(Refusal.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(EngineIoHandshake.check(upgrade("transport=websocket").build()))
                .contains(Refusal.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void bodiesAreTheReferenceServersJson() {
        assertThat(Refusal.TRANSPORT_UNKNOWN.json()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        assertThat(Refusal.UNKNOWN_SID.json()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertThat(Refusal.BAD_HANDSHAKE_METHOD.json()).isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
        assertThat(Refusal.BAD_REQUEST.json()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        assertThat(Refusal.UNSUPPORTED_PROTOCOL_VERSION.json())
                .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    }
}
