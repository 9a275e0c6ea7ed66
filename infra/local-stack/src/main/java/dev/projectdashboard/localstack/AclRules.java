package dev.projectdashboard.localstack;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.PermissionType;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Qos;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Retain;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.SharedSubscription;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The {@code acl} of an EMQX 5.8 HTTP authentication answer as HiveMQ default permissions. HiveMQ also checks them
 * in order and lets the first match decide, so each EMQX rule becomes one permission in the same place; the caller
 * sets the default behaviour to DENY for whatever no rule matches.
 *
 * <p>Where HiveMQ cannot express a rule exactly, the rule is made stricter, never wider: an allow rule it could
 * only widen is refused as a whole answer ({@link InvalidAclException}).
 */
final class AclRules {

    private static final String EXACT_PREFIX = "eq ";
    private static final String SHARE_PREFIX = "$share/";
    private static final String ANY_SHARE_GROUP = "#";

    private AclRules() {}

    /**
     * One rule, in HiveMQ's terms.
     *
     * @param topicFilter the filter without {@code eq } and {@code $share/group/}
     * @param sharedGroup the share name of a {@code $share} rule; {@code #} (any group) otherwise
     */
    record Rule(
            String topicFilter,
            PermissionType type,
            MqttActivity activity,
            Qos qos,
            Retain retain,
            SharedSubscription sharedSubscription,
            String sharedGroup) {

        /** Needs a running broker: HiveMQ's builders come from its services. */
        TopicPermission toTopicPermission() {
            return Builders.topicPermission()
                    .topicFilter(topicFilter)
                    .type(type)
                    .activity(activity)
                    .qos(qos)
                    .retain(retain)
                    .sharedSubscription(sharedSubscription)
                    .sharedGroup(sharedGroup)
                    .build();
        }
    }

    /** An answer whose acl this broker cannot apply: the client is refused rather than let in with other rights. */
    static final class InvalidAclException extends IllegalArgumentException {
        InvalidAclException(String message) {
            super(message);
        }
    }

    /** The rules of {@code acl} (absent or null: none), in order; rules that can match nothing are left out. */
    static List<Rule> parse(JsonNode acl) {
        List<Rule> rules = new ArrayList<>();
        if (absent(acl)) {
            return rules;
        }
        if (!acl.isArray()) {
            throw new InvalidAclException("acl must be an array");
        }
        for (JsonNode rule : acl) {
            Rule parsed = rule(rule);
            if (parsed != null) {
                rules.add(parsed);
            }
        }
        return rules;
    }

    private static Rule rule(JsonNode rule) {
        PermissionType type =
                switch (text(rule, "permission")) {
                    case "allow" -> PermissionType.ALLOW;
                    case "deny" -> PermissionType.DENY;
                    default -> throw invalid(rule, "permission must be allow or deny");
                };
        MqttActivity activity =
                switch (text(rule, "action")) {
                    case "publish" -> MqttActivity.PUBLISH;
                    case "subscribe" -> MqttActivity.SUBSCRIBE;
                    case "all" -> MqttActivity.ALL;
                    default -> throw invalid(rule, "action must be publish, subscribe or all");
                };
        String topic = text(rule, "topic");
        boolean exact = topic.startsWith(EXACT_PREFIX);
        if (exact) {
            topic = topic.substring(EXACT_PREFIX.length());
        }
        SharedSubscription shared = SharedSubscription.ALL;
        String group = ANY_SHARE_GROUP;
        if (topic.startsWith(SHARE_PREFIX)) {
            int slash = topic.indexOf('/', SHARE_PREFIX.length());
            if (slash <= SHARE_PREFIX.length() || slash == topic.length() - 1) {
                throw invalid(rule, "a $share topic is $share/{group}/{filter}");
            }
            if (activity == MqttActivity.PUBLISH) {
                // nobody publishes to $share/…: EMQX never matches such a rule
                return null;
            }
            group = topic.substring(SHARE_PREFIX.length(), slash);
            topic = topic.substring(slash + 1);
            shared = SharedSubscription.SHARED;
            // HiveMQ ignores the shared-subscription settings when it checks a PUBLISH: a $share rule that said
            // ALL would otherwise also let the client publish to the bare filter
            activity = MqttActivity.SUBSCRIBE;
        }
        if (topic.isEmpty()) {
            throw invalid(rule, "topic must not be empty");
        }
        if (exact && (topic.contains("+") || topic.contains("#")) && type == PermissionType.ALLOW) {
            // HiveMQ would also grant every narrower filter (devices/CAM_1/x under eq devices/+/x); a deny rule
            // denying those too is only stricter, so it is kept as a plain filter
            throw invalid(rule, "an allow rule with eq and wildcards cannot be enforced exactly by HiveMQ");
        }
        Qos qos = qos(rule);
        if (qos == null) {
            return null;
        }
        return new Rule(topic, type, activity, qos, retain(rule), shared, group);
    }

    /** EMQX's optional {@code qos} list; {@code null} for an empty list, which matches no message. */
    private static Qos qos(JsonNode rule) {
        JsonNode node = rule.path("qos");
        if (absent(node)) {
            return Qos.ALL;
        }
        if (!node.isArray()) {
            throw invalid(rule, "qos must be a list of 0, 1 and 2");
        }
        TreeSet<Integer> levels = new TreeSet<>();
        for (JsonNode level : node) {
            if (!level.isInt() || level.intValue() < 0 || level.intValue() > 2) {
                throw invalid(rule, "qos must be a list of 0, 1 and 2");
            }
            levels.add(level.intValue());
        }
        return switch (levels.toString()) {
            case "[]" -> null;
            case "[0]" -> Qos.ZERO;
            case "[1]" -> Qos.ONE;
            case "[2]" -> Qos.TWO;
            case "[0, 1]" -> Qos.ZERO_ONE;
            case "[0, 2]" -> Qos.ZERO_TWO;
            case "[1, 2]" -> Qos.ONE_TWO;
            default -> Qos.ALL;
        };
    }

    /** EMQX's optional {@code retain}: true matches only retained publishes, false only the others. */
    private static Retain retain(JsonNode rule) {
        JsonNode node = rule.path("retain");
        if (absent(node)) {
            return Retain.ALL;
        }
        if (!node.isBoolean()) {
            throw invalid(rule, "retain must be true or false");
        }
        return node.booleanValue() ? Retain.RETAINED : Retain.NOT_RETAINED;
    }

    /** Missing and {@code null} both mean "not given", as EMQX reads them. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static String text(JsonNode rule, String field) {
        JsonNode node = rule.path(field);
        if (!node.isString()) {
            throw invalid(rule, field + " must be a string");
        }
        return field.equals("topic") ? node.stringValue() : node.stringValue().toLowerCase(Locale.ROOT);
    }

    private static InvalidAclException invalid(JsonNode rule, String problem) {
        return new InvalidAclException("acl rule " + rule + ": " + problem);
    }
}
