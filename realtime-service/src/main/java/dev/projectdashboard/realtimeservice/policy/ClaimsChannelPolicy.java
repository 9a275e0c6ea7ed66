package dev.projectdashboard.realtimeservice.policy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelOwners;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The channel rules (docs/contracts.md, Realtime channels and protocols), decided from the token's claims:
 *
 * <ul>
 *   <li>{@code roles} containing {@code admin}: every channel;
 *   <li>{@code user:{id}}: only when {@code id} is the token's {@code sub} (never proxied);
 *   <li>{@code system:*}: every authenticated user;
 *   <li>{@code project:{name}}: {@code projects} lists the name or {@code *};
 *   <li>{@code deployment:{id}}: the {@code projects} claim lists the deployment's project (the {@code project} its
 *       events carry, {@link ChannelOwners}) or {@code *}; before the first event says it, any user with a {@code
 *       projects} entry may subscribe, and such a subscription gets the deployment's events once they show one of its
 *       projects, or ends when they show another ({@link #delivery});
 *   <li>{@code device:{id}}: {@code devices} lists the id or {@code *};
 *   <li>{@code task:{id}}: its owner only, the {@code user_id} of the task's events ({@link ChannelOwners}); before
 *       the first event nobody is known, so any authenticated user may subscribe (the native contract subscribes by task id, docs/contracts.md),
 *       and such a subscription is ended once the first event says the task is someone else's ({@link #delivery});
 *   <li>client-publish namespaces ({@code dashboard.realtime.client-publish.namespaces}): every authenticated user;
 *   <li>anything else: refused.
 * </ul>
 *
 * A namespace with a subscribe proxy configured ({@code dashboard.realtime.proxy.subscribe.<namespace>}) is decided by
 * that proxy instead of the rule above (admins still pass without a call).
 *
 * <p>A reader without a token ({@link Reader#publicOnly}, {@code dashboard.realtime.public.projects}) may read {@code
 * project:{name}} of a public project and {@code deployment:{id}} of a deployment of a public project (its {@code
 * project} as the deployment's events recorded it; before that is known it may subscribe, and gets only what turns
 * out to be public), never publish, and nothing else.
 */
@Component
public class ClaimsChannelPolicy implements ChannelPolicy {

    private static final String TASK_PREFIX = ChannelName.TASK + ":";
    private static final String PROJECT_PREFIX = ChannelName.PROJECT + ":";
    private static final String DEPLOYMENT_PREFIX = ChannelName.DEPLOYMENT + ":";

    private final SubscribeProxy proxy;
    private final ClientPublishProperties clientPublish;
    private final ChannelOwners owners;
    private final PublicAccessProperties publicAccess;

    public ClaimsChannelPolicy(
            SubscribeProxy proxy,
            ClientPublishProperties clientPublish,
            ChannelOwners owners,
            PublicAccessProperties publicAccess) {
        this.proxy = proxy;
        this.clientPublish = clientPublish;
        this.owners = owners;
        this.publicAccess = publicAccess;
    }

    @Override
    public Mono<Void> authorizeSubscribe(Reader reader, ChannelName channel) {
        if (reader == null) {
            return denied(channel, "not authenticated");
        }
        if (reader.publicOnly()) {
            return authorizePublicSubscribe(channel);
        }
        DashboardPrincipal principal = reader.principal();
        if (principal.isAdmin()) {
            return Mono.empty();
        }
        String namespace = channel.namespace();
        if (ChannelName.USER.equals(namespace)) {
            return channel.id().equals(principal.userId())
                    ? Mono.empty()
                    : denied(channel, "a user channel is readable only by its owner");
        }
        if (proxy.handles(namespace)) {
            return proxy.authorize(principal, channel);
        }
        if (ChannelName.TASK.equals(namespace)) {
            return owners.ownerOf(channel)
                    .filter(owner -> !owner.equals(principal.userId()))
                    .flatMap(owner -> denied(channel, "the task belongs to another user"));
        }
        if (ChannelName.DEPLOYMENT.equals(namespace) && !principal.projects().isEmpty()) {
            // which project is not said: the claim does not list it, which is all the user needs to know
            return owners.ownerOf(channel)
                    .filter(project -> !principal.mayWatchProject(project))
                    .flatMap(project -> denied(channel, "its project is not in the token's projects claim"));
        }
        boolean allowed =
                switch (namespace) {
                    case ChannelName.SYSTEM -> true;
                    case ChannelName.PROJECT -> principal.mayWatchProject(channel.id());
                    case ChannelName.DEPLOYMENT -> false; // no projects claim entry (with one: above)
                    case ChannelName.DEVICE -> principal.mayActForDevice(channel.id());
                    default -> clientPublish.allows(namespace);
                };
        return allowed ? Mono.empty() : denied(channel, reason(namespace));
    }

    private Mono<Void> authorizePublicSubscribe(ChannelName channel) {
        return switch (channel.namespace()) {
            case ChannelName.PROJECT ->
                publicAccess.allows(channel.id())
                        ? Mono.empty()
                        : denied(channel, "not a public project, and the connection has no token");
            case ChannelName.DEPLOYMENT ->
                owners.ownerOf(channel)
                        .filter(project -> !publicAccess.allows(project))
                        .flatMap(project -> denied(channel, "not a deployment of a public project"));
            default ->
                denied(
                        channel,
                        "a connection without a token may read only the project: and deployment: channels of public"
                                + " projects");
        };
    }

    /**
     * A task's events go to its owner (and admins) only: a subscription made before the owner was known ends when
     * an event of someone else's task reaches it. A deployment's events go to readers of its project, for users and
     * readers without a token alike: none while the project is not known (unless the reader may read every project),
     * then all of them, or the subscription ends when they show a project it may not read. A proxied namespace keeps
     * the proxy's decision.
     */
    @Override
    public Delivery delivery(Reader reader, Position position) {
        if (reader.publicOnly()) {
            return publicDelivery(position);
        }
        DashboardPrincipal principal = reader.principal();
        if (principal.isAdmin()) {
            return Delivery.DELIVER;
        }
        if (position.channel().startsWith(TASK_PREFIX) && !proxy.handles(ChannelName.TASK)) {
            return position.owner().isEmpty() || position.owner().equals(reader.userId())
                    ? Delivery.DELIVER
                    : Delivery.REVOKE;
        }
        if (position.channel().startsWith(DEPLOYMENT_PREFIX) && !proxy.handles(ChannelName.DEPLOYMENT)) {
            return deploymentDelivery(
                    position.owner(),
                    principal.projects().contains(DashboardPrincipal.ANY),
                    principal::mayWatchProject);
        }
        return Delivery.DELIVER;
    }

    private Delivery publicDelivery(Position position) {
        if (position.channel().startsWith(PROJECT_PREFIX)) {
            return Delivery.DELIVER; // the project was public when the subscribe was allowed
        }
        if (position.channel().startsWith(DEPLOYMENT_PREFIX)) {
            return deploymentDelivery(position.owner(), publicAccess.allowsEvery(), publicAccess::allows);
        }
        return Delivery.REVOKE;
    }

    /**
     * @param project the deployment's project as its position carries it, {@code ""} while not known
     * @param everyProject the reader may read every project: nothing to wait for
     */
    private static Delivery deploymentDelivery(String project, boolean everyProject, Predicate<String> mayRead) {
        if (everyProject) {
            return Delivery.DELIVER;
        }
        if (project.isEmpty()) {
            return Delivery.SKIP; // whose deployment it is is not known yet: nothing until it is
        }
        return mayRead.test(project) ? Delivery.DELIVER : Delivery.REVOKE;
    }

    @Override
    public Mono<Void> authorizePublish(Reader reader, ChannelName channel) {
        if (!clientPublish.allows(channel.namespace()) || reader.publicOnly()) {
            return Mono.error(new RealtimeException(
                    RealtimeException.PERMISSION_DENIED,
                    "permission denied: " + (reader.publicOnly() ? "a connection without a token" : "clients")
                            + " may not publish to " + channel));
        }
        return authorizeSubscribe(reader, channel);
    }

    private static String reason(String namespace) {
        return switch (namespace) {
            case ChannelName.PROJECT -> "the token's projects claim does not list this project";
            case ChannelName.DEPLOYMENT -> "the token's projects claim is empty";
            case ChannelName.DEVICE -> "the token's devices claim does not list this device";
            default -> "unknown channel namespace";
        };
    }

    private static Mono<Void> denied(ChannelName channel, String why) {
        return Mono.error(new RealtimeException(
                RealtimeException.PERMISSION_DENIED, "permission denied: " + channel + " (" + why + ")"));
    }
}
