package dev.projectdashboard.devicebridge.domain;

/** Source 001's upload priorities: under a backlog a higher one is answered first. */
public enum Priority {
    LOW,
    NORMAL,
    HIGH,
    URGENT;

    /** The priority of a request's {@code priority} number (0 … 3). */
    public static Priority of(int value) {
        return values()[value];
    }

    public int value() {
        return ordinal();
    }
}
