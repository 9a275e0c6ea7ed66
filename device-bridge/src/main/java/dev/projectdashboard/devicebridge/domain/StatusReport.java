package dev.projectdashboard.devicebridge.domain;

/**
 * One message of source 001's {@code devices/{id}/status/upload}, fields as written there; which of them are set
 * depends on {@link #kind}.
 *
 * @param filePath the camera's local file ({@code file_path}): later reports name the upload by it
 * @param cloudPath {@code cloud_path} of {@code upload_started}: the cloud path the bridge handed out
 * @param md5 an optional {@code md5} of {@code upload_completed}, checked against the stored object
 */
public record StatusReport(
        Kind kind,
        String filePath,
        String filename,
        String cloudPath,
        Long fileSize,
        Integer priority,
        Double progressPercentage,
        Long bytesUploaded,
        Long totalBytes,
        Integer uploadSpeedKbps,
        Integer estimatedTimeRemainingSec,
        String cloudUrl,
        Integer uploadDurationSec,
        Integer averageSpeedKbps,
        String errorCode,
        String errorMessage,
        Integer retryCount,
        String md5,
        Long timestamp) {

    /** The {@code event} of a status message. */
    public enum Kind {
        UPLOAD_STARTED("upload_started"),
        UPLOAD_PROGRESS("upload_progress"),
        UPLOAD_COMPLETED("upload_completed"),
        UPLOAD_FAILED("upload_failed");

        private final String event;

        Kind(String event) {
            this.event = event;
        }

        public String event() {
            return event;
        }

        /** The kind of an {@code event} value, or {@code null} for any other. */
        public static Kind of(String event) {
            for (Kind kind : values()) {
                if (kind.event.equals(event)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
