package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelOwners;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** Every claim rule of {@link ClaimsChannelPolicy}, without a subscribe proxy. */
class ClaimsChannelPolicyTests {

    private static final DashboardPrincipal ALICE =
            new DashboardPrincipal("alice", Set.of("user"), Set.of("demo"), Set.of("cam-1"));
    private static final DashboardPrincipal BOB = new DashboardPrincipal("bob", Set.of(), Set.of(), Set.of());
    private static final DashboardPrincipal WATCHER =
            new DashboardPrincipal("carol", Set.of(), Set.of(DashboardPrincipal.ANY), Set.of(DashboardPrincipal.ANY));
    private static final DashboardPrincipal ADMIN =
            new DashboardPrincipal("root", Set.of(DashboardPrincipal.ADMIN_ROLE), Set.of(), Set.of());

    private final ClaimsChannelPolicy policy = policy(List.of("chat"));

    /** No namespace proxied: the proxy is never called, one instance serves every test. */
    private static final SubscribeProxy NO_PROXY = new SubscribeProxy(new SubscribeProxyProperties(
            Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 100, Map.of()));

    /**
     * Owners as the sequencer would have recorded them: alice's task, a deployment of the public project and one of
     * another project (channels not listed: nobody published to them yet).
     */
    static final ChannelOwners OWNERS = channel -> Mono.justOrEmpty(Map.of(
                    "task:alices", "alice",
                    "deployment:open-d", "open",
                    "deployment:closed-d", "closed")
            .get(channel.toString()));

    /** One public project, "open". */
    static final PublicAccessProperties PUBLIC = new PublicAccessProperties(List.of("open"), "X-Forwarded-For");

    /** A connection without a token. */
    private static final Reader ANONYMOUS =
            new Reader(new DashboardPrincipal("anonymous@203.0.113.9", Set.of(), Set.of(), Set.of()), true);

    static ClaimsChannelPolicy policy(List<String> clientPublishNamespaces) {
        return policy(clientPublishNamespaces, PUBLIC);
    }

    static ClaimsChannelPolicy policy(List<String> clientPublishNamespaces, PublicAccessProperties publicAccess) {
        ClientPublishProperties clientPublish =
                new ClientPublishProperties(clientPublishNamespaces, 5, 10, DataSize.ofKilobytes(4));
        return new ClaimsChannelPolicy(NO_PROXY, clientPublish, OWNERS, publicAccess);
    }

    private static Reader reader(DashboardPrincipal principal) {
        return principal == null ? null : Reader.of(principal);
    }

    @Test
    void userChannelIsReadableOnlyByItsOwner() {
        assertAllowed(ALICE, "user:alice");
        assertDenied(ALICE, "user:bob");
        assertDenied(BOB, "user:alice");
        assertDenied(WATCHER, "user:alice");
    }

    @Test
    void adminReadsEveryChannelIncludingOtherUsersAndUnknownNamespaces() {
        for (String channel : List.of(
                "user:alice", "project:secret", "deployment:d1", "device:cam-9", "task:t1", "system:x", "other:1")) {
            assertAllowed(ADMIN, channel);
        }
    }

    @Test
    void systemChannelsAreForEveryAuthenticatedUser() {
        assertAllowed(BOB, "system:notifications");
        assertAllowed(BOB, "system:maintenance");
    }

    @Test
    void projectNeedsTheProjectInTheClaimOrTheWildcard() {
        assertAllowed(ALICE, "project:demo");
        assertDenied(ALICE, "project:other");
        assertDenied(BOB, "project:demo");
        assertAllowed(WATCHER, "project:anything");
    }

    @Test
    void aDeploymentIsReadableWhenTheProjectsClaimListsItsProject() {
        DashboardPrincipal openWatcher = new DashboardPrincipal("dora", Set.of(), Set.of("open"), Set.of());
        assertAllowed(openWatcher, "deployment:open-d");
        assertDenied(openWatcher, "deployment:closed-d");
        assertDenied(ALICE, "deployment:open-d");
        assertAllowed(WATCHER, "deployment:closed-d");
        assertAllowed(ADMIN, "deployment:closed-d");
        // whose it is is not known yet: any user who may watch some project subscribes, and gets what is theirs
        assertAllowed(ALICE, "deployment:d-42");
        assertAllowed(WATCHER, "deployment:d-42");
        assertDenied(BOB, "deployment:d-42");
    }

    @Test
    void aUsersDeploymentDeliveriesWaitForItsProjectAndFollowTheProjectsClaim() {
        assertThat(policy.delivery(Reader.of(ALICE), new Position("deployment:d", 1, "e")))
                .as("project not known yet")
                .isEqualTo(ChannelPolicy.Delivery.SKIP);
        assertThat(policy.delivery(Reader.of(ALICE), new Position("deployment:d", 2, "e", "demo")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(ALICE), new Position("deployment:d", 3, "e", "closed")))
                .isEqualTo(ChannelPolicy.Delivery.REVOKE);
        // who may watch every project, and admins, need not wait
        assertThat(policy.delivery(Reader.of(WATCHER), new Position("deployment:d", 1, "e")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(WATCHER), new Position("deployment:d", 3, "e", "closed")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(ADMIN), new Position("deployment:d", 1, "e")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(ALICE), new Position("project:demo", 4, "e")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
    }

    @Test
    void deviceNeedsTheDeviceInTheClaimOrTheWildcard() {
        assertAllowed(ALICE, "device:cam-1");
        assertDenied(ALICE, "device:cam-2");
        assertDenied(BOB, "device:cam-1");
        assertAllowed(WATCHER, "device:cam-2");
    }

    @Test
    void aTaskIsReadableByItsOwnerOnlyOnceItsOwnerIsKnown() {
        assertAllowed(ALICE, "task:alices");
        assertDenied(BOB, "task:alices");
        assertDenied(WATCHER, "task:alices");
        assertAllowed(ADMIN, "task:alices");
        // nobody known yet: the native contract subscribes by task id (docs/contracts.md) before the first event
        assertAllowed(BOB, "task:t-1");
        assertAllowed(ALICE, "task:t-1");
    }

    @Test
    void deliveriesOfAnotherUsersTaskEndTheSubscriptionAndOthersGoThrough() {
        Position alicesTask = new Position("task:t-9", 3, "e", "alice");
        assertThat(policy.delivery(Reader.of(ALICE), alicesTask)).isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(BOB), alicesTask)).isEqualTo(ChannelPolicy.Delivery.REVOKE);
        assertThat(policy.delivery(Reader.of(ADMIN), alicesTask)).isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(BOB), new Position("task:t-9", 1, "e")))
                .as("owner not known yet")
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(Reader.of(BOB), new Position("user:bob", 3, "e")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
    }

    @Test
    void aReaderWithoutATokenReadsOnlyThePublicProjectsProjectAndDeploymentChannels() {
        for (String channel : List.of("project:open", "deployment:open-d", "deployment:not-known-yet")) {
            assertThat(policy.authorizeSubscribe(ANONYMOUS, ChannelName.parse(channel))
                            .blockOptional())
                    .as(channel)
                    .isEmpty();
        }
        for (String channel : List.of(
                "project:closed",
                "deployment:closed-d",
                "task:t-1",
                "task:alices",
                "user:anonymous",
                "system:notifications",
                "device:cam-1",
                "chat:1")) {
            assertRefused(() -> policy.authorizeSubscribe(ANONYMOUS, ChannelName.parse(channel))
                    .block());
        }
    }

    @Test
    void aReaderWithoutATokenNeverPublishesEvenWhereClientsMay() {
        ClaimsChannelPolicy openProjects = policy(List.of("chat", "project"));
        assertRefused(() -> openProjects
                .authorizePublish(ANONYMOUS, ChannelName.parse("project:open"))
                .block());
        assertRefused(() -> openProjects
                .authorizePublish(ANONYMOUS, ChannelName.parse("chat:1"))
                .block());
    }

    @Test
    void aReaderWithoutATokenGetsADeploymentsEventsOnceItsProjectIsKnownToBePublic() {
        assertThat(policy.delivery(ANONYMOUS, new Position("deployment:d", 1, "e")))
                .isEqualTo(ChannelPolicy.Delivery.SKIP);
        assertThat(policy.delivery(ANONYMOUS, new Position("deployment:d", 2, "e", "open")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(ANONYMOUS, new Position("deployment:d", 3, "e", "closed")))
                .isEqualTo(ChannelPolicy.Delivery.REVOKE);
        assertThat(policy.delivery(ANONYMOUS, new Position("project:open", 3, "e")))
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        assertThat(policy.delivery(ANONYMOUS, new Position("task:t", 3, "e", "anonymous@203.0.113.9")))
                .isEqualTo(ChannelPolicy.Delivery.REVOKE);
    }

    @Test
    void theWildcardMakesEveryProjectPublicAndNoProjectsMakesNone() {
        ClaimsChannelPolicy everything = policy(List.of(), new PublicAccessProperties(List.of("*"), ""));
        assertThat(everything
                        .authorizeSubscribe(ANONYMOUS, ChannelName.parse("project:closed"))
                        .blockOptional())
                .isEmpty();
        assertThat(everything.delivery(ANONYMOUS, new Position("deployment:d", 1, "e")))
                .as("every project is public: no need to wait for the deployment's")
                .isEqualTo(ChannelPolicy.Delivery.DELIVER);
        ClaimsChannelPolicy none = policy(List.of(), new PublicAccessProperties(List.of(), ""));
        assertRefused(() -> none.authorizeSubscribe(ANONYMOUS, ChannelName.parse("project:open"))
                .block());
    }

    @Test
    void unknownNamespaceIsRefusedUnlessOpenToClientPublish() {
        assertDenied(ALICE, "other:1");
        assertAllowed(ALICE, "chat:1");
        assertDenied(ALICE, "chat:1", policy(List.of()));
    }

    @Test
    void missingPrincipalIsRefused() {
        assertDenied(null, "system:notifications");
    }

    @Test
    void clientPublishOnlyOnOpenNamespacesAndOnlyByReaders() {
        ClaimsChannelPolicy openProjects = policy(List.of("chat", "project"));
        assertThat(openProjects
                        .authorizePublish(Reader.of(ALICE), ChannelName.parse("chat:1"))
                        .blockOptional())
                .isEmpty();
        assertThat(openProjects
                        .authorizePublish(Reader.of(ALICE), ChannelName.parse("project:demo"))
                        .blockOptional())
                .isEmpty();
        // open namespace, but alice cannot read that project
        assertRefused(() -> openProjects
                .authorizePublish(Reader.of(ALICE), ChannelName.parse("project:other"))
                .block());
        // readable, but not open to client publish (even for an admin)
        assertRefused(() -> openProjects
                .authorizePublish(Reader.of(ALICE), ChannelName.parse("user:alice"))
                .block());
        assertRefused(() -> openProjects
                .authorizePublish(Reader.of(ADMIN), ChannelName.parse("task:t1"))
                .block());
    }

    private void assertAllowed(DashboardPrincipal principal, String channel) {
        assertThat(policy.authorizeSubscribe(reader(principal), ChannelName.parse(channel))
                        .blockOptional())
                .as("%s may read %s", principal == null ? null : principal.userId(), channel)
                .isEmpty();
    }

    private void assertDenied(DashboardPrincipal principal, String channel) {
        assertDenied(principal, channel, policy);
    }

    private static void assertDenied(DashboardPrincipal principal, String channel, ClaimsChannelPolicy policy) {
        assertRefused(() -> policy.authorizeSubscribe(reader(principal), ChannelName.parse(channel))
                .block());
    }

    private static void assertRefused(Runnable attempt) {
        assertThatThrownBy(attempt::run)
                .isInstanceOfSatisfying(RealtimeException.class, refusal -> assertThat(refusal.code())
                        .isEqualTo(RealtimeException.PERMISSION_DENIED));
    }
}
