package dev.projectdashboard.pushservice.secret;

/**
 * Sealed data that does not open: changed, cut short, of an unknown format version, sealed under another key, or
 * sealed for another row. The message never holds the data, the plaintext or the key.
 */
public class SecretBoxException extends RuntimeException {

    public SecretBoxException(String message) {
        super(message);
    }
}
