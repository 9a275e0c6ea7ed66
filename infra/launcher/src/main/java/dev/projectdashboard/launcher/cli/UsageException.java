package dev.projectdashboard.launcher.cli;

/** A mistake on the command line; the message is shown to the user as is. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
