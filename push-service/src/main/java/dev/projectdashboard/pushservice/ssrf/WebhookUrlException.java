package dev.projectdashboard.pushservice.ssrf;

/** A webhook URL the service will not call; the message says why, for the API to show. */
public class WebhookUrlException extends RuntimeException {

    public WebhookUrlException(String message) {
        super(message);
    }
}
