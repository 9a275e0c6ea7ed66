package dev.projectdashboard.realtimeservice.hub;

/**
 * Why the server closes a connection, with the WebSocket close code it sends. Codes follow Centrifugo's where a
 * meaning is shared (3xxx: reconnect allowed; 35xx: do not reconnect with the same token) so client libraries
 * that know them behave; the list is documented in docs/realtime-service.md.
 */
public enum CloseReason {
    NORMAL(1000, "normal closure"),
    SHUTDOWN(1001, "server shutting down"),
    SLOW_CLIENT(3008, "slow client: outbound queue over its limit"),
    INSUFFICIENT_STATE(3010, "insufficient state"),
    NO_PONG(3012, "no pong"),
    INVALID_TOKEN(3500, "invalid token"),
    BAD_REQUEST(3501, "bad request"),
    TOKEN_EXPIRED(3109, "token expired"),
    FORCED(3503, "disconnected by an administrator"),
    CONNECTION_LIMIT(3504, "too many connections for this user (or client address)"),
    MESSAGE_TOO_BIG(3009, "message too big");

    private final int code;
    private final String text;

    CloseReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }
}
