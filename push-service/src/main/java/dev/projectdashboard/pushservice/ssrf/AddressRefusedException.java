package dev.projectdashboard.pushservice.ssrf;

/**
 * A delivery stopped because the webhook's host resolved to an address the {@link AddressPolicy} refuses. Retrying
 * does not help, so the retry rules give up on it.
 */
public class AddressRefusedException extends RuntimeException {

    /** @param reason what {@link AddressPolicy#refusal} said */
    public AddressRefusedException(String host, String reason) {
        super("webhook host " + host + " is refused: " + reason);
    }
}
