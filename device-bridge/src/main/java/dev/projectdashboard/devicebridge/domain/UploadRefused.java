package dev.projectdashboard.devicebridge.domain;

/** Why a request gets no upload URL: becomes a {@code success:false} response with this code and message. */
public class UploadRefused extends RuntimeException {

    private final ErrorCode code;

    public UploadRefused(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public UploadRefused(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
