package dev.projectdashboard.starter.security;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/** Verifies {@link ApiKeyAuthentication}s; a wrong key is an authentication failure (401), never ignored. */
class ApiKeyAuthenticationManager implements ReactiveAuthenticationManager {

    private final ApiKeyVerifier verifier;

    ApiKeyAuthenticationManager(ApiKeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        return Mono.fromSupplier(() -> {
            if (authentication instanceof ApiKeyAuthentication apiKey
                    && verifier.matches((String) apiKey.getCredentials())) {
                return ApiKeyAuthentication.verified();
            }
            throw new InvalidApiKeyException();
        });
    }

    /** The {@code X-Api-Key} header was sent but holds the wrong key. */
    static final class InvalidApiKeyException extends BadCredentialsException {
        InvalidApiKeyException() {
            super("The " + ApiKeyVerifier.HEADER + " header is not valid.");
        }
    }
}
