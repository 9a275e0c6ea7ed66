package dev.projectdashboard.eventbus;

/** Redis could not take or give events (down, unreachable, too slow); callers answer 503 or retry. */
public class EventBusUnavailableException extends RuntimeException {

    public EventBusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
