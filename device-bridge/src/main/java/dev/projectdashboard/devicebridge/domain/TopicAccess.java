package dev.projectdashboard.devicebridge.domain;

import java.util.List;

/**
 * Which topics a broker client may use (docs/device-bridge.md, Broker authentication): a device publishes its own
 * requests and status and reads its own responses; the bridge reads every device's requests and status through its
 * shared subscriptions and publishes responses. Everything else is denied.
 */
public final class TopicAccess {

    /** One rule, as EMQX's HTTP authentication answers it ({@code acl}); the first rule that matches decides. */
    public record Rule(String permission, String action, String topic) {}

    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";

    private TopicAccess() {}

    public static String requestTopic(String deviceId) {
        return "devices/" + deviceId + "/upload/request";
    }

    public static String responseTopic(String deviceId) {
        return "devices/" + deviceId + "/upload/response";
    }

    public static String statusTopic(String deviceId) {
        return "devices/" + deviceId + "/status/upload";
    }

    public static List<Rule> forDevice(String deviceId) {
        return List.of(
                allow(PUBLISH, requestTopic(deviceId)),
                allow(PUBLISH, statusTopic(deviceId)),
                // MQTT 5 devices may name a response topic of their own below it (answered there as well)
                allow(SUBSCRIBE, responseTopic(deviceId) + "/#"));
    }

    public static List<Rule> forBridge(String shareGroup) {
        return List.of(
                allow(SUBSCRIBE, "$share/" + shareGroup + "/" + requestTopic("+")),
                allow(SUBSCRIBE, "$share/" + shareGroup + "/" + statusTopic("+")),
                // EMQX checks a shared subscription against its topic without the $share/{group}/ prefix
                allow(SUBSCRIBE, requestTopic("+")),
                allow(SUBSCRIBE, statusTopic("+")),
                allow(PUBLISH, responseTopic("+") + "/#"));
    }

    private static Rule allow(String action, String topic) {
        return new Rule("allow", action, topic);
    }

    /**
     * Whether the bridge may answer a device's request on the MQTT 5 response topic it named: only on its own response
     * topic or below it, so that no device makes the bridge publish to another device's topics.
     */
    public static boolean isOwnResponseTopic(String deviceId, String topic) {
        String own = responseTopic(deviceId);
        return topic != null
                && (topic.equals(own) || topic.startsWith(own + "/"))
                && topic.indexOf('+') < 0
                && topic.indexOf('#') < 0;
    }

    /** Whether a client with {@code rules} may do {@code action} on {@code topic} (a topic name, or a filter to subscribe). */
    public static boolean allows(List<Rule> rules, String action, String topic) {
        for (Rule rule : rules) {
            if ((rule.action().equals(action) || rule.action().equals("all")) && matches(rule.topic(), topic)) {
                return rule.permission().equals("allow");
            }
        }
        return false;
    }

    /**
     * Whether the rule's filter covers {@code topic}. A subscription filter is covered only by a rule at least as wide
     * (a device subscribing {@code devices/#} is not covered by {@code devices/CAM_1/upload/response/#}).
     */
    static boolean matches(String filter, String topic) {
        String[] want = filter.split("/", -1);
        String[] have = topic.split("/", -1);
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("#")) {
                return true;
            }
            if (i >= have.length) {
                return false;
            }
            if (want[i].equals("+")) {
                if (have[i].equals("#")) {
                    return false;
                }
                continue;
            }
            if (!want[i].equals(have[i])) {
                return false;
            }
        }
        return want.length == have.length;
    }
}
