package dev.projectdashboard.realtimeservice.policy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * Asks the HTTP endpoint configured for a channel namespace whether a user may subscribe (Centrifugo's subscribe
 * proxy). Request: {@code POST} JSON {@code {user_id, user:{user_id}, channel, namespace, roles, projects,
 * devices}}. Answer: see {@link #allowed}. Answers are cached per user and channel (allow and deny with their own
 * TTL); concurrent subscriptions to the same channel by the same user share one call; a timeout or an unreachable
 * endpoint is a refusal that is not cached.
 */
@Component
public class SubscribeProxy {

    private static final Logger log = LoggerFactory.getLogger(SubscribeProxy.class);

    private final SubscribeProxyProperties properties;
    private final WebClient client;
    private final AnswerCache cache;
    private final Map<String, Mono<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong callsMade = new AtomicLong();

    @Autowired
    public SubscribeProxy(SubscribeProxyProperties properties) {
        this(properties, System::nanoTime);
    }

    SubscribeProxy(SubscribeProxyProperties properties, LongSupplier nanoClock) {
        this.properties = properties;
        this.cache = new AnswerCache(properties.cacheSize(), nanoClock);
        int connectMillis = (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, properties.timeout().toMillis()));
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .responseTimeout(properties.timeout());
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeaders(headers -> properties.headers().forEach(headers::add))
                .build();
    }

    /** Whether subscriptions to this namespace are decided here rather than from the token's claims. */
    public boolean handles(String namespace) {
        return properties.proxies(namespace);
    }

    /**
     * Completes when the proxy allows the subscription; errors with {@link RealtimeException} 103 when it refuses,
     * does not answer in time or cannot be reached.
     */
    public Mono<Void> authorize(DashboardPrincipal principal, ChannelName channel) {
        URI endpoint = properties.subscribe().get(channel.namespace());
        if (endpoint == null) {
            return Mono.error(denied(channel, "no subscribe proxy for this namespace"));
        }
        String key = principal.userId() + '\n' + channel;
        return Mono.defer(() -> {
                    Boolean cached = cache.get(key);
                    if (cached != null) {
                        return Mono.just(cached);
                    }
                    return inFlight.computeIfAbsent(key, k -> sharedCall(endpoint, principal, channel, k));
                })
                .flatMap(allowed ->
                        allowed ? Mono.<Void>empty() : Mono.error(denied(channel, "refused by the subscribe proxy")));
    }

    /** One call shared by every subscriber that asks while it runs; forgotten once it has answered. */
    private Mono<Boolean> sharedCall(URI endpoint, DashboardPrincipal principal, ChannelName channel, String key) {
        AtomicReference<Mono<Boolean>> self = new AtomicReference<>();
        Mono<Boolean> call = ask(endpoint, principal, channel, key)
                // before the answer reaches anyone (doFinally would run after): a caller right behind must not get
                // this finished call's answer, which for a failing proxy is an uncached refusal
                .doOnTerminate(() -> inFlight.remove(key, self.get()))
                .doOnCancel(() -> inFlight.remove(key, self.get()))
                .cache();
        self.set(call);
        return call;
    }

    private Mono<Boolean> ask(URI endpoint, DashboardPrincipal principal, ChannelName channel, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", principal.userId());
        // the Centrifugo-style (docs/contracts.md) proxy handler reads body["user"]["user_id"]
        body.put("user", Map.of("user_id", principal.userId()));
        body.put("channel", channel.toString());
        body.put("namespace", channel.namespace());
        body.put("roles", List.copyOf(principal.roles()));
        body.put("projects", List.copyOf(principal.projects()));
        body.put("devices", List.copyOf(principal.devices()));
        return Mono.defer(() -> {
                    callsMade.incrementAndGet();
                    return client.post()
                            .uri(endpoint)
                            .contentType(MediaType.APPLICATION_JSON)
                            .accept(MediaType.APPLICATION_JSON)
                            .bodyValue(body)
                            .exchangeToMono(response -> answer(response, endpoint));
                })
                .timeout(properties.timeout())
                .doOnNext(allowed -> cache.put(key, allowed, allowed ? properties.allowTtl() : properties.denyTtl()))
                .onErrorResume(error -> {
                    log.warn(
                            "subscribe proxy {} gave no answer for {} on {}: {}",
                            endpoint,
                            principal.userId(),
                            channel,
                            error instanceof TimeoutException ? "timed out" : error.toString());
                    return Mono.just(false);
                });
    }

    private Mono<Boolean> answer(ClientResponse response, URI endpoint) {
        HttpStatus status = HttpStatus.resolve(response.statusCode().value());
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(JsonNode.class)
                    .map(SubscribeProxy::allowed)
                    .defaultIfEmpty(true);
        }
        if (status == HttpStatus.FORBIDDEN || status == HttpStatus.UNAUTHORIZED) {
            return response.releaseBody().thenReturn(false);
        }
        // anything else is the proxy failing, not a decision: refuse without caching
        return response.releaseBody()
                .then(Mono.error(
                        new IllegalStateException("proxy " + endpoint + " answered " + response.statusCode())));
    }

    /**
     * Reads a 2xx answer: Centrifugo's {@code {"result":{…}}} allows and {@code {"error":…}} / {@code
     * {"disconnect":…}} refuse; the Centrifugo-style (docs/contracts.md) {@code {"status":200}} allows and {@code {"status":403}} refuses; {@code
     * {"allowed":true|false}} too. Any other JSON refuses (fail closed); an empty body allows (the 2xx is the answer).
     */
    static boolean allowed(JsonNode answer) {
        if (answer == null || answer.isMissingNode() || answer.isNull()) {
            return true;
        }
        if (!answer.isObject()) {
            return false;
        }
        if (answer.has("error") || answer.has("disconnect")) {
            return false;
        }
        if (answer.has("allowed")) {
            return answer.get("allowed").asBoolean(false);
        }
        if (answer.has("status")) {
            int code = answer.get("status").asInt(0);
            return code >= 200 && code < 300;
        }
        return answer.has("result");
    }

    private static RealtimeException denied(ChannelName channel, String why) {
        return new RealtimeException(
                RealtimeException.PERMISSION_DENIED, "permission denied: " + channel + " (" + why + ")");
    }

    int cachedAnswers() {
        return cache.size();
    }

    /** How many calls this proxy has started (shared and cached answers make none). */
    long callsMade() {
        return callsMade.get();
    }
}
