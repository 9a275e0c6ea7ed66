package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.PermissionType;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Qos;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Retain;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.SharedSubscription;
import dev.projectdashboard.localstack.AclRules.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AclRulesTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void keepsTheRulesInOrderWithEveryQosAndRetainWhenTheyAreNotGiven() {
        List<Rule> rules = parse(
                """
                [{"permission": "deny", "action": "subscribe", "topic": "devices/CAM_1/secret"},
                 {"permission": "allow", "action": "all", "topic": "devices/CAM_1/#"}]""");

        assertThat(rules)
                .containsExactly(
                        new Rule(
                                "devices/CAM_1/secret",
                                PermissionType.DENY,
                                MqttActivity.SUBSCRIBE,
                                Qos.ALL,
                                Retain.ALL,
                                SharedSubscription.ALL,
                                "#"),
                        new Rule(
                                "devices/CAM_1/#",
                                PermissionType.ALLOW,
                                MqttActivity.ALL,
                                Qos.ALL,
                                Retain.ALL,
                                SharedSubscription.ALL,
                                "#"));
    }

    @Test
    void aShareRuleAllowsOnlyThatGroupsSubscriptionAndNeverAPublish() {
        List<Rule> rules = parse(
                """
                [{"permission": "allow", "action": "all", "topic": "$share/device-bridge/devices/+/upload/request"},
                 {"permission": "allow", "action": "publish", "topic": "$share/device-bridge/devices/#"}]""");

        assertThat(rules)
                .containsExactly(new Rule(
                        "devices/+/upload/request",
                        PermissionType.ALLOW,
                        MqttActivity.SUBSCRIBE,
                        Qos.ALL,
                        Retain.ALL,
                        SharedSubscription.SHARED,
                        "device-bridge"));
    }

    @Test
    void mapsQosListsAndRetainFlags() {
        List<Rule> rules = parse(
                """
                [{"permission": "allow", "action": "publish", "topic": "a", "qos": [1, 0], "retain": false},
                 {"permission": "deny", "action": "publish", "topic": "b", "qos": [2], "retain": true},
                 {"permission": "allow", "action": "publish", "topic": "c", "qos": [0, 1, 2]},
                 {"permission": "allow", "action": "publish", "topic": "never", "qos": []}]""");

        assertThat(rules).extracting(Rule::topicFilter).containsExactly("a", "b", "c");
        assertThat(rules).extracting(Rule::qos).containsExactly(Qos.ZERO_ONE, Qos.TWO, Qos.ALL);
        assertThat(rules).extracting(Rule::retain).containsExactly(Retain.NOT_RETAINED, Retain.RETAINED, Retain.ALL);
    }

    @Test
    void anExactRuleWithoutWildcardsIsAPlainFilterAndAnExactDenyWithWildcardsDeniesTheWholeFilter() {
        List<Rule> rules = parse(
                """
                [{"permission": "allow", "action": "subscribe", "topic": "eq devices/CAM_1/upload/response"},
                 {"permission": "deny", "action": "subscribe", "topic": "eq devices/#"}]""");

        assertThat(rules).extracting(Rule::topicFilter).containsExactly("devices/CAM_1/upload/response", "devices/#");
    }

    @Test
    void refusesWhatHiveMqCouldOnlyWidenOrWhatIsNotAnAcl() {
        assertThatThrownBy(
                        () -> parse("[{\"permission\": \"allow\", \"action\": \"subscribe\", \"topic\": \"eq a/+\"}]"))
                .isInstanceOf(AclRules.InvalidAclException.class)
                .hasMessageContaining("eq");
        assertThatThrownBy(() -> parse("[{\"permission\": \"maybe\", \"action\": \"publish\", \"topic\": \"a\"}]"))
                .isInstanceOf(AclRules.InvalidAclException.class);
        assertThatThrownBy(() -> parse("[{\"permission\": \"allow\", \"action\": \"read\", \"topic\": \"a\"}]"))
                .isInstanceOf(AclRules.InvalidAclException.class);
        assertThatThrownBy(() -> parse("[{\"permission\": \"allow\", \"action\": \"publish\"}]"))
                .isInstanceOf(AclRules.InvalidAclException.class);
        assertThatThrownBy(() -> parse("[{\"permission\": \"allow\", \"action\": \"all\", \"topic\": \"$share/g\"}]"))
                .isInstanceOf(AclRules.InvalidAclException.class);
        assertThatThrownBy(() -> parse("{\"permission\": \"allow\"}")).isInstanceOf(AclRules.InvalidAclException.class);
    }

    @Test
    void noAclMeansNoRules() {
        assertThat(AclRules.parse(json.readTree("{}").path("acl"))).isEmpty();
        assertThat(parse("null")).isEmpty();
    }

    private List<Rule> parse(String acl) {
        return AclRules.parse(json.readTree(acl));
    }
}
