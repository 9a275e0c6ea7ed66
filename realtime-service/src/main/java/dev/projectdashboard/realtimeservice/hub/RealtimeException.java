package dev.projectdashboard.realtimeservice.hub;

/**
 * A refusal the client sees as an {@code error} event (native) or an ack/connect error (Socket.IO), with a
 * Centrifugo-style numeric code: 103 permission denied, 106 limit exceeded, 107 bad request, 108 not available,
 * 109 token expired, 112 unrecoverable position, 100 internal.
 */
public class RealtimeException extends RuntimeException {

    public static final int INTERNAL = 100;
    public static final int PERMISSION_DENIED = 103;
    public static final int LIMIT_EXCEEDED = 106;
    public static final int BAD_REQUEST = 107;
    public static final int NOT_AVAILABLE = 108;
    public static final int TOKEN_EXPIRED = 109;
    public static final int UNRECOVERABLE_POSITION = 112;

    private final int code;

    public RealtimeException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
