package dev.projectdashboard.pushservice.template;

/** A webhook body template that cannot be used; the message says what is wrong and where, for the API to show. */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
