package dev.projectdashboard.realtimeservice.policy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The subscribe proxy ({@code dashboard.realtime.proxy.*}): per channel namespace an HTTP endpoint that decides
 * memberships a token cannot carry (e.g. who may watch {@code task:42}), like Centrifugo's subscribe proxy.
 *
 * @param subscribe namespace ({@code task}, {@code deployment}, {@code chat} …) → endpoint called with a POST for
 *     every subscription to a channel of that namespace, e.g. {@code DASHBOARD_REALTIME_PROXY_SUBSCRIBE_TASK}; the
 *     {@code user} namespace cannot be proxied (only its owner reads a user channel)
 * @param timeout how long a proxy may take to answer; no answer in time is a refusal
 * @param allowTtl how long an "allowed" answer is reused for the same user and channel
 * @param denyTtl how long a "denied" answer is reused (short, so a membership granted a moment ago takes effect)
 * @param cacheSize most answers kept in memory per replica
 * @param headers extra request headers sent to every proxy (e.g. a shared secret the endpoint checks)
 */
@Validated
@ConfigurationProperties("dashboard.realtime.proxy")
public record SubscribeProxyProperties(
        @NotNull @DefaultValue Map<String, URI> subscribe,
        @NotNull @DefaultValue("1s") Duration timeout,
        @NotNull @DefaultValue("30s") Duration allowTtl,
        @NotNull @DefaultValue("5s") Duration denyTtl,
        @Min(1) @Max(10_000_000) @DefaultValue("10000") int cacheSize,
        @NotNull @DefaultValue Map<String, String> headers) {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public SubscribeProxyProperties {
        subscribe = subscribe == null ? Map.of() : Map.copyOf(subscribe);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        subscribe.forEach((namespace, endpoint) -> {
            String property = "dashboard.realtime.proxy.subscribe." + namespace;
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException(
                        property + ": '" + namespace + "' is not a channel namespace ([a-z][a-z0-9_-]*)");
            }
            if (ChannelName.USER.equals(namespace)) {
                throw new IllegalArgumentException(
                        property + ": user channels cannot be proxied, only their owner may read them");
            }
            String scheme = endpoint == null || endpoint.getScheme() == null
                    ? ""
                    : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
                throw new IllegalArgumentException(
                        property + " must be an absolute http(s) URL, got '" + endpoint + "'");
            }
        });
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("dashboard.realtime.proxy.timeout must be positive");
        }
        if (allowTtl != null && allowTtl.isNegative()) {
            throw new IllegalArgumentException("dashboard.realtime.proxy.allow-ttl must not be negative");
        }
        if (denyTtl != null && denyTtl.isNegative()) {
            throw new IllegalArgumentException("dashboard.realtime.proxy.deny-ttl must not be negative");
        }
    }

    /** Whether subscriptions to this namespace are decided by a proxy. */
    public boolean proxies(String namespace) {
        return subscribe.containsKey(namespace);
    }
}
