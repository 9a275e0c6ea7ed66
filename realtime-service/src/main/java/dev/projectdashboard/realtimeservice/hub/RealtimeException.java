package dev.projectdashboard.realtimeservice.hub;

import java.util.regex.Pattern;

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

    // what a client's request name must look like to be repeated in an error
    private static final Pattern REQUEST_NAME = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

    private final int code;

    public RealtimeException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * A client's request name (an event) as an error may repeat it: {@code null} unless it is a short name. Whatever
     * else a client sent is never sent back, at any length.
     */
    public static String requestName(String name) {
        return name != null && REQUEST_NAME.matcher(name).matches() ? name : null;
    }
}
