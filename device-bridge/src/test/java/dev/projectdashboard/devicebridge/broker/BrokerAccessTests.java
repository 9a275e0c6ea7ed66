package dev.projectdashboard.devicebridge.broker;

import static dev.projectdashboard.devicebridge.domain.TopicAccess.PUBLISH;
import static dev.projectdashboard.devicebridge.domain.TopicAccess.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.devicebridge.domain.TopicAccess;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import dev.projectdashboard.devicebridge.registry.InMemoryDeviceStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broker logins and topic access against a real registry over an in-memory store. */
class BrokerAccessTests {

    private static final BrokerAccess.BridgeLogin BRIDGE =
            new BrokerAccess.BridgeLogin("device-bridge", "bridge-secret", "device-bridge");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeviceRegistry registry = new InMemoryDeviceStore().registry();
    private final BrokerAccess access = access(true);

    private String cam1Secret;
    private String cam2Secret;

    @BeforeEach
    void registerTwoCameras() {
        cam1Secret = registry.register("CAM_1", "Front door", "alice", true)
                .block(Duration.ofSeconds(5))
                .secret();
        cam2Secret = registry.register("CAM_2", "Garage", "bob", true)
                .block(Duration.ofSeconds(5))
                .secret();
    }

    @Test
    void refusesAnAnonymousClient() {
        assertDenied(login(access, "CAM_1", null, null));
        assertDenied(login(access, "CAM_1", "", ""));
        assertDenied(login(access, "CAM_1", null, cam1Secret));
    }

    @Test
    void refusesAnEmptyPassword() {
        assertDenied(login(access, "CAM_1", "CAM_1", ""));
        assertDenied(login(access, "CAM_1", "CAM_1", null));
        assertDenied(login(access, "bridge-1", "device-bridge", ""));
    }

    @Test
    void letsTheBridgeInWithItsPasswordAndItsRules() {
        BrokerAccess.Decision decision = login(access, "device-bridge-replica-7", "device-bridge", "bridge-secret");

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.acl()).isEqualTo(TopicAccess.forBridge("device-bridge"));
    }

    @Test
    void refusesTheBridgesUsernameWithAWrongPassword() {
        assertDenied(login(access, "device-bridge-1", "device-bridge", "bridge-secret2"));
        assertDenied(login(access, "device-bridge-1", "device-bridge", "bridge-secre"));
        assertDenied(login(access, "device-bridge-1", "device-bridge", cam1Secret));
    }

    @Test
    void letsARegisteredDeviceInWithItsSecretAndOnlyItsOwnTopics() {
        BrokerAccess.Decision decision = login(access, "CAM_1", "CAM_1", cam1Secret);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.acl()).isEqualTo(TopicAccess.forDevice("CAM_1"));
    }

    @Test
    void refusesADeviceWithAWrongOrAnotherDevicesSecret() {
        assertDenied(login(access, "CAM_1", "CAM_1", cam2Secret));
        assertDenied(login(access, "CAM_1", "CAM_1", cam1Secret + "x"));
        assertDenied(login(access, "CAM_1", "CAM_1", "bridge-secret"));
    }

    @Test
    void refusesADisabledDevice() {
        registry.update("CAM_1", null, null, false, false).block(Duration.ofSeconds(5));

        assertDenied(login(access, "CAM_1", "CAM_1", cam1Secret));
    }

    @Test
    void refusesAnUnknownDeviceAndAUsernameThatIsNoDeviceId() {
        assertDenied(login(access, "CAM_3", "CAM_3", cam1Secret));
        assertDenied(login(access, "CAM 1", "CAM 1", cam1Secret));
        assertDenied(login(access, "CAM/1", "CAM/1", cam1Secret));
    }

    @Test
    void refusesTheOldSecretOnceRotated() {
        String rotated =
                registry.rotateSecret("CAM_1").block(Duration.ofSeconds(5)).secret();

        assertDenied(login(access, "CAM_1", "CAM_1", cam1Secret));
        assertThat(login(access, "CAM_1", "CAM_1", rotated).allowed()).isTrue();
    }

    @Test
    void acceptsTheDevicesIdOrItFollowedByAColonAsClientId() {
        assertThat(login(access, "CAM_1", "CAM_1", cam1Secret).allowed()).isTrue();
        assertThat(login(access, "CAM_1:x", "CAM_1", cam1Secret).allowed()).isTrue();
        assertThat(login(access, "CAM_1:", "CAM_1", cam1Secret).allowed()).isTrue();
    }

    @Test
    void refusesAnotherDevicesClientIdWhenClientIdsMustMatch() {
        // logging in as CAM_2's client id would push CAM_2 off the broker
        assertDenied(login(access, "CAM_2", "CAM_1", cam1Secret));
        assertDenied(login(access, "CAM_2:x", "CAM_1", cam1Secret));
        // CAM_1 is a prefix of CAM_10, but CAM_10 is another device
        assertDenied(login(access, "CAM_10", "CAM_1", cam1Secret));
        assertDenied(login(access, "CAM_1x", "CAM_1", cam1Secret));
        assertDenied(login(access, "", "CAM_1", cam1Secret));
        assertDenied(login(access, null, "CAM_1", cam1Secret));
    }

    @Test
    void acceptsAnyClientIdWhenClientIdsNeedNotMatch() {
        BrokerAccess lenient = access(false);

        assertThat(login(lenient, "CAM_2", "CAM_1", cam1Secret).allowed()).isTrue();
        assertThat(login(lenient, "anything", "CAM_1", cam1Secret).allowed()).isTrue();
        assertThat(login(lenient, null, "CAM_1", cam1Secret).allowed()).isTrue();
        // the secret still decides
        assertDenied(login(lenient, "CAM_2", "CAM_1", cam2Secret));
    }

    @Test
    void countsLoginsByResult() {
        login(access, "CAM_1", "CAM_1", cam1Secret);
        login(access, "CAM_1", "CAM_1", cam2Secret);
        login(access, "CAM_1", null, null);

        assertThat(meters.get("device_bridge_broker_logins_total")
                        .tag("result", "allow")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("device_bridge_broker_logins_total")
                        .tag("result", "deny")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void letsADeviceUseOnlyItsOwnTopics() {
        assertThat(access.mayUse("CAM_1", PUBLISH, "devices/CAM_1/upload/request"))
                .isTrue();
        assertThat(access.mayUse("CAM_1", PUBLISH, "devices/CAM_1/status/upload"))
                .isTrue();
        assertThat(access.mayUse("CAM_1", SUBSCRIBE, "devices/CAM_1/upload/response"))
                .isTrue();

        assertThat(access.mayUse("CAM_1", PUBLISH, "devices/CAM_2/upload/request"))
                .isFalse();
        assertThat(access.mayUse("CAM_1", PUBLISH, "devices/CAM_1/upload/response"))
                .isFalse();
        assertThat(access.mayUse("CAM_1", SUBSCRIBE, "devices/CAM_2/upload/response"))
                .isFalse();
        assertThat(access.mayUse("CAM_1", SUBSCRIBE, "devices/#")).isFalse();
        assertThat(access.mayUse("CAM_1", SUBSCRIBE, "devices/+/upload/response"))
                .isFalse();
    }

    @Test
    void letsTheBridgeUseItsSharedSubscriptionsAndTheResponseTopics() {
        assertThat(access.mayUse("device-bridge", SUBSCRIBE, "$share/device-bridge/devices/+/upload/request"))
                .isTrue();
        assertThat(access.mayUse("device-bridge", PUBLISH, "devices/CAM_1/upload/response"))
                .isTrue();

        assertThat(access.mayUse("device-bridge", PUBLISH, "devices/CAM_1/upload/request"))
                .isFalse();
        assertThat(access.mayUse("device-bridge", SUBSCRIBE, "devices/#")).isFalse();
    }

    @Test
    void refusesAnyUseWithoutUsernameOrTopicOrByAUsernameThatIsNoDeviceId() {
        assertThat(access.mayUse(null, PUBLISH, "devices/CAM_1/upload/request")).isFalse();
        assertThat(access.mayUse("CAM_1", PUBLISH, null)).isFalse();
        // "+" as a username would otherwise turn the device's rules into wildcards
        assertThat(access.mayUse("+", PUBLISH, "devices/CAM_1/upload/request")).isFalse();
        assertThat(access.mayUse("#", SUBSCRIBE, "devices/CAM_1/upload/response"))
                .isFalse();
        assertThat(access.mayUse("", PUBLISH, "devices//upload/request")).isFalse();
    }

    private BrokerAccess access(boolean clientIdMustMatch) {
        return new BrokerAccess(registry, new BrokerProperties(clientIdMustMatch), BRIDGE, meters);
    }

    private static BrokerAccess.Decision login(BrokerAccess access, String clientId, String username, String password) {
        return access.login(clientId, username, password).block(Duration.ofSeconds(5));
    }

    private static void assertDenied(BrokerAccess.Decision decision) {
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.acl()).isEmpty();
        assertThat(decision.reason()).isNotBlank();
    }
}
