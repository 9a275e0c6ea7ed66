package dev.projectdashboard.devicebridge.broker;

import dev.projectdashboard.devicebridge.domain.DeviceIds;
import dev.projectdashboard.devicebridge.domain.TopicAccess;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Decides broker logins and topic access (docs/device-bridge.md, Broker authentication): a registered, enabled device
 * logs in with its id and secret and gets its own topics; the bridge logs in with its own credentials and gets the
 * shared subscriptions and the response topics; everyone else, anonymous clients included, is refused.
 */
@Service
public class BrokerAccess {

    private static final Logger log = LoggerFactory.getLogger(BrokerAccess.class);

    /** What the broker is told about one login. */
    public record Decision(boolean allowed, List<TopicAccess.Rule> acl, String reason) {

        static Decision deny(String reason) {
            return new Decision(false, List.of(), reason);
        }
    }

    /** The bridge's own login, as its MQTT client presents it. */
    public record BridgeLogin(String username, String password, String shareGroup) {}

    private final DeviceRegistry registry;
    private final BrokerProperties properties;
    private final BridgeLogin bridge;
    private final MeterRegistry meters;

    BrokerAccess(DeviceRegistry registry, BrokerProperties properties, BridgeLogin bridge, MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.bridge = bridge;
        this.meters = meters;
    }

    public Mono<Decision> login(String clientId, String username, String password) {
        return decide(clientId, username, password).doOnNext(decision -> {
            meters.counter("device_bridge_broker_logins_total", "result", decision.allowed() ? "allow" : "deny")
                    .increment();
            if (!decision.allowed()) {
                // never the password
                log.info("Broker login of client '{}' as '{}' refused: {}", clientId, username, decision.reason());
            }
        });
    }

    /** Whether {@code username}, already logged in, may {@code action} ({@code publish}/{@code subscribe}) {@code topic}. */
    public boolean mayUse(String username, String action, String topic) {
        if (username == null || topic == null) {
            return false;
        }
        if (username.equals(bridge.username())) {
            return TopicAccess.allows(TopicAccess.forBridge(bridge.shareGroup()), action, topic);
        }
        return DeviceIds.isValid(username) && TopicAccess.allows(TopicAccess.forDevice(username), action, topic);
    }

    private Mono<Decision> decide(String clientId, String username, String password) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            return Mono.just(Decision.deny("no username or password"));
        }
        if (username.equals(bridge.username())) {
            return Mono.just(
                    constantTimeEquals(password, bridge.password())
                            ? new Decision(true, TopicAccess.forBridge(bridge.shareGroup()), "bridge")
                            : Decision.deny("wrong bridge password"));
        }
        if (!DeviceIds.isValid(username)) {
            return Mono.just(Decision.deny("not a device id"));
        }
        if (properties.clientIdMustMatch() && !clientIdOf(username, clientId)) {
            return Mono.just(Decision.deny("client id is not the device's"));
        }
        return registry.authenticate(username, password)
                .map(ok -> ok
                        ? new Decision(true, TopicAccess.forDevice(username), "device")
                        : Decision.deny("unknown or disabled device, or wrong secret"));
    }

    private static boolean clientIdOf(String deviceId, String clientId) {
        if (clientId == null || !clientId.startsWith(deviceId)) {
            return false;
        }
        if (clientId.length() == deviceId.length()) {
            return true;
        }
        // ':' cannot occur in a device id, so no device's id is a prefix of another's client ids
        return clientId.charAt(deviceId.length()) == ':';
    }

    private static boolean constantTimeEquals(String presented, String expected) {
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
