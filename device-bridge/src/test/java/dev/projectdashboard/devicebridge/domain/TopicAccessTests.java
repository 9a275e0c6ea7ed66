package dev.projectdashboard.devicebridge.domain;

import static dev.projectdashboard.devicebridge.domain.TopicAccess.PUBLISH;
import static dev.projectdashboard.devicebridge.domain.TopicAccess.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which topics a device and the bridge may use (docs/device-bridge.md, Broker authentication). */
class TopicAccessTests {

    private static final List<TopicAccess.Rule> CAM_1 = TopicAccess.forDevice("CAM_1");
    private static final List<TopicAccess.Rule> BRIDGE = TopicAccess.forBridge("device-bridge");

    @Test
    void namesSource001sTopics() {
        assertThat(TopicAccess.requestTopic("CAM_1")).isEqualTo("devices/CAM_1/upload/request");
        assertThat(TopicAccess.responseTopic("CAM_1")).isEqualTo("devices/CAM_1/upload/response");
        assertThat(TopicAccess.statusTopic("CAM_1")).isEqualTo("devices/CAM_1/status/upload");
    }

    @Test
    void givesADeviceItsOwnRequestAndStatusToPublishAndItsResponsesToRead() {
        assertThat(CAM_1)
                .containsExactly(
                        new TopicAccess.Rule("allow", PUBLISH, "devices/CAM_1/upload/request"),
                        new TopicAccess.Rule("allow", PUBLISH, "devices/CAM_1/status/upload"),
                        new TopicAccess.Rule("allow", SUBSCRIBE, "devices/CAM_1/upload/response/#"));
    }

    @Test
    void letsADevicePublishOnlyItsOwnRequestAndStatus() {
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_1/upload/request"))
                .isTrue();
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_1/status/upload"))
                .isTrue();

        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_2/upload/request"))
                .isFalse();
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_2/status/upload"))
                .isFalse();
        // forging the bridge's answer, to itself or to another device
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_1/upload/response"))
                .isFalse();
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_2/upload/response"))
                .isFalse();
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_1/upload/request/x"))
                .isFalse();
        assertThat(TopicAccess.allows(CAM_1, PUBLISH, "devices/CAM_1")).isFalse();
    }

    @Test
    void letsADeviceSubscribeOnlyToItsOwnResponses() {
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_1/upload/response"))
                .isTrue();
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_1/upload/response/mine"))
                .isTrue();
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_1/upload/response/#"))
                .isTrue();

        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_2/upload/response"))
                .isFalse();
        // reading its own requests or status is not needed and not given
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_1/upload/request"))
                .isFalse();
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, "devices/CAM_1/status/upload"))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#",
                "devices/#",
                "devices/+/upload/response",
                "devices/+/upload/response/#",
                "devices/CAM_1/#",
                "devices/CAM_1/+/response",
                "+/CAM_1/upload/response",
                "$share/g/devices/CAM_1/upload/response",
                "$share/g/devices/+/upload/response"
            })
    void refusesADeviceAWildcardOrSharedSubscriptionWiderThanItsOwnResponses(String filter) {
        assertThat(TopicAccess.allows(CAM_1, SUBSCRIBE, filter)).isFalse();
    }

    @Test
    void letsTheBridgeReadEveryDevicesRequestsAndStatusThroughItsSharedSubscription() {
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "$share/device-bridge/devices/+/upload/request"))
                .isTrue();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "$share/device-bridge/devices/+/status/upload"))
                .isTrue();
        // EMQX checks the filter without its $share/{group}/ prefix
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/+/upload/request"))
                .isTrue();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/+/status/upload"))
                .isTrue();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/CAM_1/upload/request"))
                .isTrue();
    }

    @Test
    void refusesTheBridgeAnotherShareGroupAndWiderFilters() {
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "$share/other/devices/+/upload/request"))
                .isFalse();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/#")).isFalse();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "#")).isFalse();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/+/upload/#")).isFalse();
        assertThat(TopicAccess.allows(BRIDGE, SUBSCRIBE, "devices/+/upload/response"))
                .isFalse();
    }

    @Test
    void letsTheBridgePublishResponsesOnly() {
        assertThat(TopicAccess.allows(BRIDGE, PUBLISH, "devices/CAM_1/upload/response"))
                .isTrue();
        assertThat(TopicAccess.allows(BRIDGE, PUBLISH, "devices/CAM_2/upload/response/mine"))
                .isTrue();

        assertThat(TopicAccess.allows(BRIDGE, PUBLISH, "devices/CAM_1/upload/request"))
                .isFalse();
        assertThat(TopicAccess.allows(BRIDGE, PUBLISH, "devices/CAM_1/status/upload"))
                .isFalse();
        assertThat(TopicAccess.allows(BRIDGE, PUBLISH, "other/topic")).isFalse();
    }

    @Test
    void deniesEverythingWithoutRules() {
        assertThat(TopicAccess.allows(List.of(), PUBLISH, "devices/CAM_1/upload/request"))
                .isFalse();
    }

    @Test
    void letsTheFirstMatchingRuleDecideAndAllCoverBothActions() {
        List<TopicAccess.Rule> rules = List.of(
                new TopicAccess.Rule("deny", "all", "devices/CAM_1/upload/request"),
                new TopicAccess.Rule("allow", PUBLISH, "devices/+/upload/request"));
        assertThat(TopicAccess.allows(rules, PUBLISH, "devices/CAM_1/upload/request"))
                .isFalse();
        assertThat(TopicAccess.allows(rules, PUBLISH, "devices/CAM_2/upload/request"))
                .isTrue();
        assertThat(TopicAccess.allows(rules, SUBSCRIBE, "devices/CAM_2/upload/request"))
                .isFalse();
    }

    @Test
    void acceptsTheDevicesOwnResponseTopicAndTopicsBelowItAsAnswerTopic() {
        assertThat(TopicAccess.isOwnResponseTopic("CAM_1", "devices/CAM_1/upload/response"))
                .isTrue();
        assertThat(TopicAccess.isOwnResponseTopic("CAM_1", "devices/CAM_1/upload/response/req-7"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "devices/CAM_2/upload/response",
                "devices/CAM_1/upload/responses",
                "devices/CAM_1/upload/request",
                "devices/CAM_1/upload/response/+",
                "devices/CAM_1/upload/response/#",
                "devices/+/upload/response",
                "devices/#",
                ""
            })
    void refusesAnyOtherAnswerTopic(String topic) {
        assertThat(TopicAccess.isOwnResponseTopic("CAM_1", topic)).isFalse();
    }

    @Test
    void refusesNoAnswerTopic() {
        assertThat(TopicAccess.isOwnResponseTopic("CAM_1", null)).isFalse();
    }
}
