package dev.projectdashboard.pushservice.webhook;

/** A registration refused: {@code field} (as the API names it) and why. */
public final class InvalidWebhook extends RuntimeException {

    private final String field;

    public InvalidWebhook(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
