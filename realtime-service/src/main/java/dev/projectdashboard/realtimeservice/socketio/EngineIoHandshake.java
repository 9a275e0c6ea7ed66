package dev.projectdashboard.realtimeservice.socketio;

import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Checks an HTTP request to {@code /socket.io/} before it is upgraded, in the reference Engine.IO server's order,
 * and names the refusal it would give: this endpoint serves only the websocket transport, so a polling client (or a
 * plain browser visit) gets the same 400 JSON body ({@code {"code":0,"message":"Transport unknown"}}) it would get
 * from a stock server configured with {@code transports: ['websocket']}.
 */
public final class EngineIoHandshake {

    /** The error codes and messages of Engine.IO's {@code Server.errors}. */
    public enum Refusal {
        TRANSPORT_UNKNOWN(0, "Transport unknown"),
        UNKNOWN_SID(1, "Session ID unknown"),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
        BAD_REQUEST(3, "Bad request"),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

        private final int code;
        private final String message;

        Refusal(int code, String message) {
            this.code = code;
            this.message = message;
        }

        public int code() {
            return code;
        }

        public String message() {
            return message;
        }

        /** The response body, byte for byte what the reference server writes. */
        public String json() {
            return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
        }
    }

    private EngineIoHandshake() {}

    /** Why the request cannot be upgraded to an Engine.IO connection, or empty when it can. */
    public static Optional<Refusal> check(ServerHttpRequest request) {
        var query = request.getQueryParams();
        if (!"websocket".equals(query.getFirst("transport"))) {
            return Optional.of(Refusal.TRANSPORT_UNKNOWN);
        }
        // sessions exist only for polling, which is not served, so every sid is unknown
        if (query.getFirst("sid") != null) {
            return Optional.of(Refusal.UNKNOWN_SID);
        }
        if (!HttpMethod.GET.equals(request.getMethod())) {
            return Optional.of(Refusal.BAD_HANDSHAKE_METHOD);
        }
        if (!isUpgrade(request.getHeaders())) {
            return Optional.of(Refusal.BAD_REQUEST);
        }
        if (!"4".equals(query.getFirst("EIO"))) {
            return Optional.of(Refusal.UNSUPPORTED_PROTOCOL_VERSION);
        }
        return Optional.empty();
    }

    private static boolean isUpgrade(HttpHeaders headers) {
        String upgrade = headers.getFirst(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
