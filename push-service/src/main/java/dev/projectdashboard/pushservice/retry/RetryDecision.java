package dev.projectdashboard.pushservice.retry;

/** What to do after one delivery attempt, as {@link RetryRules#classify} decides it. */
public enum RetryDecision {
    /** The receiver took the webhook (2xx). */
    DELIVERED,
    /** A failure that may pass (5xx, 429, a timeout, a connection error): try again after the next delay. */
    RETRY,
    /** A failure that trying again will not fix (another 4xx, a redirect): stop and put it in the dead-letter queue. */
    GIVE_UP,
    /** The endpoint is gone for good (410 Gone): stop, dead-letter it, and disable the webhook. */
    DISABLE
}
