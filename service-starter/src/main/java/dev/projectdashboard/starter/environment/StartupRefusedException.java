package dev.projectdashboard.starter.environment;

/**
 * A service refuses to start because of its configuration; the message names the settings to change and
 * never contains their values.
 */
public class StartupRefusedException extends IllegalStateException {

    private final String action;

    public StartupRefusedException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** What the operator should do about it. */
    public String getAction() {
        return action;
    }
}
