package dev.projectdashboard.pushservice.delivery;

/** Where a delivery stands. */
public enum DeliveryStatus {
    /** Due at its next attempt time (the first attempt, or a retry after a backoff). */
    PENDING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** Retries used up or not retryable: in the dead-letter queue (source 003 marks the task {@code PUSH_FAILED}). */
    PUSH_FAILED,
    /** Not sent: its webhook was disabled before it was due. */
    CANCELLED
}
