package dev.projectdashboard.e2e.suite;

import dev.projectdashboard.launcher.token.DevTokens;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a test may know of the started suite: where the gateway and the broker listen (the only two entry points a
 * browser, a camera or a CI pipeline has) and the secrets the suite was started with, as an operator configures them.
 *
 * @param gatewayPort the gateway's HTTP port
 * @param mqttPort the broker's port (local-stack's HiveMQ, authentication through device-bridge)
 * @param jwtSecret {@code DASHBOARD_JWT_SECRET}, to mint user tokens as an identity provider would
 * @param apiKey {@code DASHBOARD_API_KEY}, what backends send as {@code X-Api-Key}
 * @param webhookSecret {@code DEPLOY_WEBHOOK_SECRET}, what GitHub signs its webhooks with
 * @param logs the folder holding each component's log
 */
public record RunningSuite(
        int gatewayPort, int mqttPort, String jwtSecret, String apiKey, String webhookSecret, Path logs) {

    public static final String PREFIX = "/project-dashboard";

    private static final Duration TOKEN_TTL = Duration.ofHours(1);

    /** A public URL: {@code path} below {@code /project-dashboard} on the gateway. */
    public URI url(String path) {
        return URI.create("http://localhost:" + gatewayPort + PREFIX + path);
    }

    /** The native WebSocket as a browser opens it, the token in the query. */
    public URI webSocket(String token) {
        return URI.create("ws://localhost:" + gatewayPort + PREFIX + "/ws?token=" + token);
    }

    /** The dashboard page with a token, as {@code ./dashboard up} prints it. */
    public URI page(String token) {
        return url("/?token=" + token);
    }

    /** An administrator's token: every project, every device, the admin APIs. */
    public String adminToken(String user) {
        return token(new DevTokens.Claims(user, true, List.of("*"), List.of("*")));
    }

    /** A plain user's token watching the given projects and devices. */
    public String userToken(String user, List<String> projects, List<String> devices) {
        return token(new DevTokens.Claims(user, false, projects, devices));
    }

    private String token(DevTokens.Claims claims) {
        return DevTokens.mint(claims, jwtSecret, Instant.now(), TOKEN_TTL);
    }
}
