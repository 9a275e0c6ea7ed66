package dev.projectdashboard.devicebridge.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.domain.TopicAccess;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The broker's questions, in the shape of EMQX 5.8's HTTP authentication and authorization (docs/device-bridge.md,
 * Broker authentication): {@code POST /internal/v1/mqtt/auth} on each login, {@code POST /internal/v1/mqtt/acl} for a
 * broker that asks per publish and subscribe. Internal: {@code X-Api-Key}, never routed by the gateway. A refusal is
 * a 200 with {@code "result": "deny"}, as EMQX reads it; only a malformed question is a 400.
 */
@RestController
@RequestMapping("/internal/v1/mqtt")
class BrokerAuthController {

    /** EMQX's authentication request body (the fields its template placeholders fill). */
    record AuthRequest(
            @JsonProperty("clientid") String clientId,
            @JsonProperty("username") String username,
            @JsonProperty("password") String password,
            @JsonProperty("peerhost") String peerHost) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuthAnswer(
            @JsonProperty("result") String result,
            @JsonProperty("is_superuser") boolean superuser,
            @JsonProperty("acl") List<AclRule> acl) {}

    record AclRule(
            @JsonProperty("permission") String permission,
            @JsonProperty("action") String action,
            @JsonProperty("topic") String topic) {}

    /** EMQX's authorization request: who, what ({@code publish}/{@code subscribe}), which topic. */
    record AclRequest(
            @JsonProperty("clientid") String clientId,
            @JsonProperty("username") String username,
            @JsonProperty("topic") String topic,
            @JsonProperty("action") String action) {}

    record AclAnswer(@JsonProperty("result") String result) {}

    private final BrokerAccess access;

    BrokerAuthController(BrokerAccess access) {
        this.access = access;
    }

    @PostMapping("/auth")
    Mono<AuthAnswer> authenticate(@RequestBody AuthRequest request) {
        return access.login(request.clientId(), request.username(), request.password())
                .map(decision -> decision.allowed()
                        ? new AuthAnswer("allow", false, rules(decision.acl()))
                        : new AuthAnswer("deny", false, null));
    }

    @PostMapping("/acl")
    AclAnswer authorize(@RequestBody AclRequest request) {
        return new AclAnswer(access.mayUse(request.username(), request.action(), request.topic()) ? "allow" : "deny");
    }

    private static List<AclRule> rules(List<TopicAccess.Rule> rules) {
        return rules.stream()
                .map(rule -> new AclRule(rule.permission(), rule.action(), rule.topic()))
                .toList();
    }
}
