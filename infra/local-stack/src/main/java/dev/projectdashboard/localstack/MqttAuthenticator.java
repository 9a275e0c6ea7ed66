package dev.projectdashboard.localstack;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lets MQTT clients in either as before (anonymous, everything allowed) or only as an HTTP endpoint in the shape of
 * EMQX 5.8's HTTP authentication decides, with the endpoint's {@code acl} as the client's permissions. The broker
 * caches nothing: every CONNECT asks the endpoint (which caches if it wants to).
 *
 * <p>The endpoint is called with the JDK's asynchronous HTTP client and the CONNECT is held with HiveMQ's async
 * output, so no broker thread waits for it.
 */
final class MqttAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(MqttAuthenticator.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    // longer than the request's own timeout, so the endpoint's failure is what the client's refusal reports
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Where to ask; the API key is kept out of {@link #toString()}.
     *
     * @param url the endpoint, called with POST
     * @param apiKey sent as {@code X-Api-Key}
     */
    record Endpoint(URI url, String apiKey) {

        Endpoint {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(apiKey, "apiKey");
            if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("the MQTT authentication URL must be an http(s) URL, was " + url);
            }
        }

        @Override
        public String toString() {
            return url.toString();
        }
    }

    private final AtomicReference<Endpoint> endpoint = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            // plain HTTP/1.1: no h2c upgrade round trip on every call
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final JsonMapper json = JsonMapper.builder().build();

    /** From now on, CONNECTs are decided by this endpoint; {@code null} lets every client in again. */
    void use(Endpoint endpoint) {
        this.endpoint.set(endpoint);
    }

    Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint.get());
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Endpoint current = endpoint.get();
        if (current == null) {
            // untouched default permissions: everything allowed, as without an authenticator
            output.authenticateSuccessfully();
            return;
        }
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        Optional<String> username = connect.getUserName();
        Optional<ByteBuffer> password = connect.getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            log.debug("MQTT client '{}' refused: no username or password", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "username and password required");
            return;
        }
        Async<SimpleAuthOutput> async = output.async(
                DECISION_TIMEOUT,
                TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE,
                "the authentication endpoint did not answer in time");
        ObjectNode body = json.createObjectNode()
                .put("clientid", clientId)
                .put("username", username.get())
                .put(
                        "password",
                        StandardCharsets.UTF_8
                                .decode(password.get().duplicate())
                                .toString())
                .put(
                        "peerhost",
                        input.getConnectionInformation()
                                .getInetAddress()
                                .map(InetAddress::getHostAddress)
                                .orElse(""))
                .put("proto_ver", protocolVersion(connect));
        HttpRequest request = HttpRequest.newBuilder(current.url())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-Api-Key", current.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        Client client = new Client(clientId, username.get());
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    unavailable(output, client, current + " failed: " + failure);
                } else {
                    decide(response, output, client);
                }
            } catch (RuntimeException e) {
                unavailable(output, client, "cannot apply the answer of " + current + ": " + e.getMessage());
            } finally {
                async.resume();
            }
        });
    }

    private record Client(String id, String username) {
        @Override
        public String toString() {
            return "MQTT client '" + id + "' (username '" + username + "')";
        }
    }

    /** EMQX's {@code proto_ver}: 3 for MQTT 3.1, 4 for 3.1.1, 5 for 5. */
    private static int protocolVersion(ConnectPacket connect) {
        return switch (connect.getMqttVersion()) {
            case V_3_1 -> 3;
            case V_3_1_1 -> 4;
            case V_5 -> 5;
        };
    }

    private void decide(HttpResponse<String> response, SimpleAuthOutput output, Client client) {
        if (response.statusCode() != 200) {
            unavailable(output, client, "the authentication endpoint answered " + response.statusCode());
            return;
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (JacksonException e) {
            unavailable(output, client, "the authentication endpoint answered no JSON: " + e.getOriginalMessage());
            return;
        }
        String result = answer.path("result").asString("");
        switch (result) {
            case "allow" -> allow(answer, output, client);
            case "deny" -> {
                log.debug("{} refused: the endpoint denied it", client);
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad username or password");
            }
            case "ignore" -> {
                // EMQX moves on to the next authenticator; there is none here
                log.debug("{} refused: the endpoint ignored it", client);
                output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorized");
            }
            default -> unavailable(output, client, "the authentication endpoint answered result '" + result + "'");
        }
    }

    private static void allow(JsonNode answer, SimpleAuthOutput output, Client client) {
        if (answer.path("is_superuser").asBoolean(false)) {
            log.debug("{} allowed as superuser", client);
            output.authenticateSuccessfully();
            return;
        }
        List<AclRules.Rule> rules = AclRules.parse(answer.path("acl"));
        List<TopicPermission> permissions =
                rules.stream().map(AclRules.Rule::toTopicPermission).toList();
        ModifiableDefaultPermissions defaults = output.getDefaultPermissions();
        defaults.clear();
        defaults.addAll(permissions);
        defaults.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        log.debug("{} allowed with acl {}", client, rules);
        output.authenticateSuccessfully();
    }

    private static void unavailable(SimpleAuthOutput output, Client client, String why) {
        log.warn("{} refused: {}", client, why);
        output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "authentication is unavailable");
    }
}
