package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The subscribe proxy against a real local HTTP endpoint: answers, timeouts, the cache and its TTLs. */
class SubscribeProxyTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // generous: other builds share this machine; the timeout test uses its own short one
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);
    private static final Duration ALLOW_TTL = Duration.ofSeconds(30);
    private static final Duration DENY_TTL = Duration.ofSeconds(5);

    private static final DashboardPrincipal BOB =
            new DashboardPrincipal("bob", Set.of("user"), Set.of("demo"), Set.of("cam-1"));
    private static final DashboardPrincipal ALICE = new DashboardPrincipal("alice", Set.of(), Set.of(), Set.of());
    private static final DashboardPrincipal ADMIN =
            new DashboardPrincipal("root", Set.of(DashboardPrincipal.ADMIN_ROLE), Set.of(), Set.of());

    /** Calls per endpoint and channel, and the last request body per endpoint. */
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    private static final Map<String, JsonNode> BODIES = new ConcurrentHashMap<>();

    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    private static DisposableServer server;

    private final AtomicLong clock = new AtomicLong(0);

    @BeforeAll
    static void startEndpoint() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/allow", (req, res) -> answer(req, res, "allow", 200, "{\"result\":{}}"))
                        .post(
                                "/deny",
                                (req, res) -> answer(
                                        req,
                                        res,
                                        "deny",
                                        200,
                                        "{\"error\":{\"code\":103,\"message\":\"permission denied\"}}"))
                        .post("/source-004", SubscribeProxyTests::source004)
                        .post("/forbidden", (req, res) -> answer(req, res, "forbidden", 403, "{}"))
                        .post("/broken", (req, res) -> answer(req, res, "broken", 500, "{}"))
                        .post("/unclear", (req, res) -> answer(req, res, "unclear", 200, "{\"ok\":1}"))
                        .post("/empty", (req, res) -> answer(req, res, "empty", 204, ""))
                        .post("/slow", (req, res) -> Mono.delay(Duration.ofSeconds(5))
                                .then(answer(req, res, "slow", 200, "{\"result\":{}}"))))
                .bindNow();
        // the first call of a JVM loads the HTTP client and codecs, which can take seconds on a busy machine:
        // done here so no test's cache assertion depends on it
        new SubscribeProxy(properties(Map.of("task", endpoint("/allow"))))
                .authorize(BOB, ChannelName.parse("task:warm-up"))
                .onErrorComplete()
                .block(Duration.ofSeconds(30));
    }

    /** A rerun of a failed test must not count the calls of its first run. */
    @BeforeEach
    void forgetCalls() {
        CALLS.clear();
    }

    @AfterAll
    static void stopEndpoint() {
        server.disposeNow();
    }

    private static Mono<Void> answer(
            HttpServerRequest request, HttpServerResponse response, String endpoint, int status, String body) {
        return request.receive().aggregate().asString().defaultIfEmpty("{}").flatMap(text -> {
            JsonNode json = JSON.readTree(text);
            BODIES.put(endpoint, json);
            SECRETS.put(endpoint, String.valueOf(request.requestHeaders().get("X-Proxy-Secret")));
            CALLS.computeIfAbsent(endpoint + "|" + json.path("channel").asString(), k -> new AtomicInteger())
                    .incrementAndGet();
            return response.status(status)
                    .header("Content-Type", "application/json")
                    .sendString(Mono.just(body))
                    .then();
        });
    }

    /** The Centrifugo-style (docs/contracts.md) handler: reads {@code body.user.user_id}, answers {@code {"status":200|403}} with HTTP 200. */
    private static Mono<Void> source004(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().flatMap(text -> {
            JsonNode json = JSON.readTree(text);
            CALLS.computeIfAbsent("source-004|" + json.path("channel").asString(), k -> new AtomicInteger())
                    .incrementAndGet();
            boolean member = json.path("user").path("user_id").asString().equals("bob");
            return response.header("Content-Type", "application/json")
                    .sendString(Mono.just(member ? "{\"status\":200}" : "{\"status\":403}"))
                    .then();
        });
    }

    private SubscribeProxy proxy(String namespace, String path) {
        return new SubscribeProxy(properties(Map.of(namespace, endpoint(path))), clock::get);
    }

    private static SubscribeProxyProperties properties(Map<String, URI> subscribe) {
        return properties(subscribe, TIMEOUT);
    }

    private static SubscribeProxyProperties properties(Map<String, URI> subscribe, Duration timeout) {
        return new SubscribeProxyProperties(
                subscribe, timeout, ALLOW_TTL, DENY_TTL, 100, Map.of("X-Proxy-Secret", "s3cret"));
    }

    private static URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static int calls(String endpoint, String channel) {
        AtomicInteger count = CALLS.get(endpoint + "|" + channel);
        return count == null ? 0 : count.get();
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void allowedAnswerIsReusedUntilItsTtlEnds() {
        SubscribeProxy proxy = proxy("task", "/allow");
        ChannelName channel = ChannelName.parse("task:allow-1");

        StepVerifier.create(proxy.authorize(BOB, channel)).verifyComplete();
        StepVerifier.create(proxy.authorize(BOB, channel)).verifyComplete();
        assertThat(calls("allow", "task:allow-1")).isEqualTo(1);

        JsonNode request = BODIES.get("allow");
        assertThat(request.path("user_id").asString()).isEqualTo("bob");
        assertThat(request.path("user").path("user_id").asString()).isEqualTo("bob");
        assertThat(request.path("channel").asString()).isEqualTo("task:allow-1");
        assertThat(request.path("namespace").asString()).isEqualTo("task");
        assertThat(request.path("projects").get(0).asString()).isEqualTo("demo");
        assertThat(request.path("devices").get(0).asString()).isEqualTo("cam-1");
        assertThat(request.path("roles").get(0).asString()).isEqualTo("user");
        assertThat(SECRETS.get("allow")).isEqualTo("s3cret");

        advance(ALLOW_TTL.minusSeconds(1));
        StepVerifier.create(proxy.authorize(BOB, channel)).verifyComplete();
        assertThat(calls("allow", "task:allow-1")).isEqualTo(1);

        advance(Duration.ofSeconds(2));
        StepVerifier.create(proxy.authorize(BOB, channel)).verifyComplete();
        assertThat(calls("allow", "task:allow-1")).isEqualTo(2);
    }

    @Test
    void answersAreCachedPerUser() {
        SubscribeProxy proxy = proxy("task", "/allow");
        ChannelName channel = ChannelName.parse("task:per-user");
        StepVerifier.create(proxy.authorize(BOB, channel)).verifyComplete();
        StepVerifier.create(proxy.authorize(ALICE, channel)).verifyComplete();
        assertThat(calls("allow", "task:per-user")).isEqualTo(2);
    }

    @Test
    void refusalIsCode103AndIsReusedOnlyForTheShorterDenyTtl() {
        SubscribeProxy proxy = proxy("task", "/deny");
        ChannelName channel = ChannelName.parse("task:deny-1");

        expectDenied(proxy.authorize(BOB, channel));
        expectDenied(proxy.authorize(BOB, channel));
        assertThat(calls("deny", "task:deny-1")).isEqualTo(1);

        advance(DENY_TTL.plusMillis(1));
        expectDenied(proxy.authorize(BOB, channel));
        assertThat(calls("deny", "task:deny-1")).isEqualTo(2);
    }

    @Test
    void source004AnswersWithStatusFieldsAreUnderstood() {
        SubscribeProxy proxy = proxy("chat", "/source-004");
        StepVerifier.create(proxy.authorize(BOB, ChannelName.parse("chat:1"))).verifyComplete();
        expectDenied(proxy.authorize(ALICE, ChannelName.parse("chat:1")));
    }

    @Test
    void http403IsACachedRefusalWhileA500IsAnUncachedOne() {
        SubscribeProxy forbidden = proxy("task", "/forbidden");
        expectDenied(forbidden.authorize(BOB, ChannelName.parse("task:f-1")));
        expectDenied(forbidden.authorize(BOB, ChannelName.parse("task:f-1")));
        assertThat(calls("forbidden", "task:f-1")).isEqualTo(1);

        SubscribeProxy broken = proxy("task", "/broken");
        expectDenied(broken.authorize(BOB, ChannelName.parse("task:b-1")));
        expectDenied(broken.authorize(BOB, ChannelName.parse("task:b-1")));
        assertThat(calls("broken", "task:b-1")).isEqualTo(2);
    }

    @Test
    void unclearAnswerRefusesAndAnEmptySuccessAllows() {
        expectDenied(proxy("task", "/unclear").authorize(BOB, ChannelName.parse("task:u-1")));
        StepVerifier.create(proxy("task", "/empty").authorize(BOB, ChannelName.parse("task:e-1")))
                .verifyComplete();
    }

    @Test
    void noAnswerInTimeIsARefusalThatIsNotCached() {
        SubscribeProxy proxy =
                new SubscribeProxy(properties(Map.of("task", endpoint("/slow")), SHORT_TIMEOUT), clock::get);
        ChannelName channel = ChannelName.parse("task:slow-1");
        long started = System.nanoTime();
        expectDenied(proxy.authorize(BOB, channel));
        // the endpoint answers after 5 s: the refusal came from the timeout
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(proxy.cachedAnswers()).isZero();
    }

    @Test
    void concurrentSubscriptionsShareOneCall() {
        SubscribeProxy proxy = proxy("task", "/allow");
        ChannelName channel = ChannelName.parse("task:together");
        StepVerifier.create(Mono.when(
                        proxy.authorize(BOB, channel), proxy.authorize(BOB, channel), proxy.authorize(BOB, channel)))
                .verifyComplete();
        // the proxy's own count: the endpoint's count would also see a transport-level resend of the same call
        assertThat(proxy.callsMade()).isEqualTo(1);
        assertThat(calls("allow", "task:together")).isPositive();
    }

    @Test
    void policyAsksTheProxyForProxiedNamespacesOnly() {
        SubscribeProxyProperties properties =
                properties(Map.of("task", endpoint("/deny"), "deployment", endpoint("/allow")));
        ClaimsChannelPolicy policy = new ClaimsChannelPolicy(
                new SubscribeProxy(properties, clock::get),
                new ClientPublishProperties(List.of(), 5, 10, DataSize.ofKilobytes(4)),
                ClaimsChannelPolicyTests.OWNERS,
                ClaimsChannelPolicyTests.PUBLIC);

        // task: its owner's without a proxy, here the proxy decides (and refuses)
        expectDenied(policy.authorizeSubscribe(Reader.of(BOB), ChannelName.parse("task:p-1")));
        assertThat(calls("deny", "task:p-1")).isEqualTo(1);
        // and a subscription the proxy allowed keeps getting the task's events, whoever owns it
        assertThat(policy.delivery(Reader.of(BOB), new Position("task:p-1", 2, "e", "someone-else")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        // deployment: alice has no projects claim, but the proxy allows her
        StepVerifier.create(policy.authorizeSubscribe(Reader.of(ALICE), ChannelName.parse("deployment:p-2")))
                .verifyComplete();
        assertThat(calls("allow", "deployment:p-2")).isEqualTo(1);
        // admins pass without a call
        StepVerifier.create(policy.authorizeSubscribe(Reader.of(ADMIN), ChannelName.parse("task:p-3")))
                .verifyComplete();
        assertThat(calls("deny", "task:p-3")).isZero();
        // namespaces without a proxy keep their claim rule
        StepVerifier.create(policy.authorizeSubscribe(Reader.of(BOB), ChannelName.parse("project:demo")))
                .verifyComplete();
        expectDenied(policy.authorizeSubscribe(Reader.of(ALICE), ChannelName.parse("project:demo")));
    }

    @Test
    void unreachableProxyIsARefusal() {
        SubscribeProxy proxy = new SubscribeProxy(
                properties(Map.of("task", URI.create("http://127.0.0.1:1/nobody-listens"))), clock::get);
        expectDenied(proxy.authorize(BOB, ChannelName.parse("task:gone")));
    }

    @Test
    void configurationRefusesUserChannelsAndRelativeUrls() {
        assertThatThrownBy(() -> properties(Map.of("user", endpoint("/allow"))))
                .hasMessageContaining("dashboard.realtime.proxy.subscribe.user");
        assertThatThrownBy(() -> properties(Map.of("task", URI.create("/relative"))))
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> properties(Map.of("Task:", endpoint("/allow"))))
                .hasMessageContaining("not a channel namespace");
    }

    @Test
    void answerShapes() {
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"result\":{}}"))).isTrue();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"status\":200}"))).isTrue();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"allowed\":true}"))).isTrue();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"allowed\":false}"))).isFalse();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"status\":403}"))).isFalse();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{\"disconnect\":{\"code\":4500}}")))
                .isFalse();
        assertThat(SubscribeProxy.allowed(JSON.readTree("[]"))).isFalse();
        assertThat(SubscribeProxy.allowed(JSON.readTree("{}"))).isFalse();
    }

    private static void expectDenied(Mono<Void> attempt) {
        StepVerifier.create(attempt)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(RealtimeException.class, refusal -> assertThat(refusal.code())
                                .isEqualTo(RealtimeException.PERMISSION_DENIED)))
                .verify(Duration.ofSeconds(15));
    }
}
