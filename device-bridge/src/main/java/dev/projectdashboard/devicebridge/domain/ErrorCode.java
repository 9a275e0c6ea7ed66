package dev.projectdashboard.devicebridge.domain;

/** The {@code error_code} of a failed upload response (docs/device-bridge.md lists when each is given). */
public enum ErrorCode {
    /** The device is not registered, disabled, or named another device than its topic. */
    UNAUTHORIZED,
    /** The request is not JSON, lacks a field, has a field of the wrong type, or an unsafe file name. */
    INVALID_REQUEST,
    /** {@code file_size} is above the limit. */
    FILE_TOO_LARGE,
    /** The content type is not allowed. */
    UNSUPPORTED_TYPE,
    /** The device asked too often, or the bridge is saturated; retry later. */
    RATE_LIMITED,
    /** The store or the signing service cannot answer now; retry later. */
    STORAGE_UNAVAILABLE
}
