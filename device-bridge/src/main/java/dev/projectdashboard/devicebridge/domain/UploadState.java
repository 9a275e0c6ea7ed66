package dev.projectdashboard.devicebridge.domain;

import java.util.Locale;

/** Where an upload is, from the request to its last status report. */
public enum UploadState {
    REQUESTED,
    STARTED,
    IN_PROGRESS,
    COMPLETED,
    FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED;
    }

    /** The name stored and shown ({@code in_progress}). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UploadState of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
