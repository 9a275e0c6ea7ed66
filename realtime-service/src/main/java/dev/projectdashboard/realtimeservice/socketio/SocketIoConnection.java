package dev.projectdashboard.realtimeservice.socketio;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.Hub;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.MalformedPacketException;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.Packet;
import dev.projectdashboard.realtimeservice.transport.ConnectionSupport;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Engine.IO v4 connection over WebSocket and the Socket.IO socket on it, as a hub {@link
 * dev.projectdashboard.realtimeservice.hub.Connection}.
 *
 * <p>Engine.IO: the open packet on upgrade, the server's ping {@code 2} every ping interval (the client answers
 * {@code 3}; silence closes with 3012, see {@link WebSocketConnection}), {@code 1} closes. Socket.IO: the client
 * CONNECTs a namespace with {@code {"token": JWT}} as auth; the token is verified with the service's JWT decoder, a
 * refusal is a CONNECT_ERROR (the stock client then stops retrying), success registers the connection with the hub
 * (which subscribes the personal channels). Without a token the CONNECT is refused, unless public projects are set:
 * then the connection is a public reader. Then the client emits {@code subscribe_project}, {@code
 * subscribe_deployment}, {@code unsubscribe_project}, {@code unsubscribe_deployment} with a name or id, answered
 * through its acknowledgement (or an {@code error} event when it asked for none), and receives deployment
 * publications as {@code event} ({@link DeploymentEvents}).
 *
 * <p>One namespace per connection: the stock client opens one Engine.IO connection per namespace unless an app
 * connects several namespaces of the same host at once, which the source 002 frontend does not.
 */
final class SocketIoConnection extends WebSocketConnection {

    private static final Logger log = LoggerFactory.getLogger(SocketIoConnection.class);

    static final String TRANSPORT = "socket.io";

    /** Centrifugo's "unauthorized": the token is missing or invalid (109 when it expired). */
    static final int UNAUTHORIZED = 101;

    private static final Map<String, String> SUBSCRIBE_EVENTS = Map.of(
            "subscribe_project", ChannelName.PROJECT,
            "subscribe_deployment", ChannelName.DEPLOYMENT);
    private static final Map<String, String> UNSUBSCRIBE_EVENTS = Map.of(
            "unsubscribe_project", ChannelName.PROJECT,
            "unsubscribe_deployment", ChannelName.DEPLOYMENT);

    private static final int NOT_CONNECTED = 0;
    private static final int CONNECTING = 1;
    private static final int CONNECTED = 2;
    private static final AtomicIntegerFieldUpdater<SocketIoConnection> NAMESPACE_STATE =
            AtomicIntegerFieldUpdater.newUpdater(SocketIoConnection.class, "namespaceState");
    private static final AtomicIntegerFieldUpdater<SocketIoConnection> UNREGISTERED =
            AtomicIntegerFieldUpdater.newUpdater(SocketIoConnection.class, "unregistered");

    private final Hub hub;
    private final ReactiveJwtDecoder jwtDecoder;
    private final SocketIoProperties properties;
    // requests that may wait behind a slow one (e.g. a subscribe waiting for the subscribe proxy); each one more is
    // refused on its own
    private final int maxQueuedRequests;
    // who a CONNECT without a token becomes: null unless public projects are set
    private final @Nullable Reader publicReader;

    private volatile int namespaceState;
    private final ConnectedNamespace namespace;
    private volatile boolean registered;
    private volatile int unregistered;
    private volatile @Nullable Disposable connectTimer;
    // DISCONNECT sent: nothing more goes out, the client is about to close
    private volatile boolean disconnecting;

    // guarded by this: client requests run one after the other, so a subscribe and an unsubscribe of the same
    // channel take effect in the order they were sent
    private @Nullable ArrayDeque<Supplier<Mono<Void>>> pendingRequests;
    private boolean requestRunning;

    /**
     * @param maxQueuedRequests client requests that may wait while one runs: as many as the connection may hold
     *     subscriptions, so a client that subscribes to all it may at once is served
     * @param publicReader who a CONNECT without a token becomes; {@code null}: such a CONNECT is refused
     */
    SocketIoConnection(
            WebSocketSession session,
            ConnectionSupport support,
            Hub hub,
            ReactiveJwtDecoder jwtDecoder,
            SocketIoProperties properties,
            int maxQueuedRequests,
            @Nullable Reader publicReader) {
        this(session, support, hub, jwtDecoder, properties, maxQueuedRequests, publicReader, new ConnectedNamespace());
    }

    // the renderer needs the namespace, which is known only after CONNECT, and cannot refer to this in super(…)
    private SocketIoConnection(
            WebSocketSession session,
            ConnectionSupport support,
            Hub hub,
            ReactiveJwtDecoder jwtDecoder,
            SocketIoProperties properties,
            int maxQueuedRequests,
            @Nullable Reader publicReader,
            ConnectedNamespace namespace) {
        super(session, null, support, publication -> DeploymentEvents.frame(publication, namespace.name));
        this.hub = hub;
        this.jwtDecoder = jwtDecoder;
        this.properties = properties;
        this.maxQueuedRequests = maxQueuedRequests;
        this.publicReader = publicReader;
        this.namespace = namespace;
    }

    /** The namespace the client connected, shared with the renderer. */
    private static final class ConnectedNamespace {
        volatile @Nullable String name;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    protected Mono<Void> opened() {
        var settings = support.properties();
        send(SocketIoPackets.open(
                id(),
                settings.pingInterval().toMillis(),
                settings.pongTimeout().toMillis(),
                settings.maxFrameSize().toBytes()));
        // a connection that never CONNECTs a namespace holds resources for nothing; the stock server does the same
        connectTimer = Schedulers.parallel()
                .schedule(
                        () -> {
                            if (namespaceState != CONNECTED) {
                                close(CloseReason.BAD_REQUEST);
                            }
                        },
                        properties.connectTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        return Mono.empty();
    }

    @Override
    protected void sendPing() {
        send(SocketIoPackets.PING_FRAME);
    }

    @Override
    protected void onText(String text) {
        if (text.isEmpty()) {
            close(CloseReason.BAD_REQUEST);
            return;
        }
        switch (text.charAt(0)) {
            case SocketIoPackets.MESSAGE -> onPacket(text);
            case SocketIoPackets.CLOSE -> close(CloseReason.NORMAL);
            // pong (the base class noted the sign of life), noop; client pings do not exist in v4 but are harmless
            case SocketIoPackets.PONG, SocketIoPackets.NOOP, SocketIoPackets.PING -> {}
            default -> close(CloseReason.BAD_REQUEST);
        }
    }

    @Override
    protected void closed() {
        Disposable timer = connectTimer;
        if (timer != null) {
            timer.dispose();
        }
        if (registered) {
            unregisterOnce();
        }
    }

    @Override
    public boolean deliver(Publication publication) {
        if (namespace.name == null || disconnecting || DeploymentEvents.typeOf(publication.type()) == null) {
            // personal channels (user:, system:) carry task and notification events: not part of source 002
            return true;
        }
        // an event on project:x and deployment:y arrives once (the hub delivers each event once per connection)
        return super.deliver(publication);
    }

    /**
     * Closes the connection. An administrator's disconnect ({@link CloseReason#FORCED}) first sends the namespace
     * DISCONNECT: the stock client then reports {@code io server disconnect} and does not reconnect on its own,
     * whereas after a plain WebSocket close it would reconnect at once.
     */
    @Override
    public void close(CloseReason reason) {
        String ns = namespace.name;
        if (reason == CloseReason.FORCED && ns != null && isOpen() && !disconnecting) {
            closeAfter(SocketIoPackets.disconnect(ns), reason);
            return;
        }
        super.close(reason);
    }

    /**
     * Sends a last frame and closes later: closing at once would drop it (the outbox discards what is queued when
     * it closes). The stock client closes the WebSocket itself on a DISCONNECT or CONNECT_ERROR; the close here
     * follows after the close grace in case it does not.
     */
    private void closeAfter(String lastFrame, CloseReason reason) {
        disconnecting = true;
        if (!send(lastFrame)) {
            super.close(reason);
            return;
        }
        Schedulers.parallel()
                .schedule(
                        () -> super.close(reason),
                        support.properties().closeGrace().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void presence(String channel, PresenceChange change) {
        // source 002 has no presence events; presence is still listed by the API
    }

    /** As a refused subscribe without acknowledgement: an {@code error} event naming the channel. */
    @Override
    public void revoked(ChannelName channel, RealtimeException reason) {
        String event = (ChannelName.PROJECT.equals(channel.namespace()) ? "subscribe_project" : "subscribe_deployment");
        reply(event, null, channel, reason);
    }

    private void onPacket(String text) {
        Packet packet;
        try {
            packet = SocketIoPackets.decode(text);
        } catch (MalformedPacketException e) {
            log.debug("connection {} sent a malformed packet: {}", id(), e.getMessage());
            close(CloseReason.BAD_REQUEST);
            return;
        }
        switch (packet.type()) {
            case CONNECT -> onConnect(packet);
            case DISCONNECT -> {
                if (packet.namespace().equals(namespace.name)) {
                    close(CloseReason.NORMAL);
                }
            }
            case EVENT -> {
                if (namespaceState != CONNECTED || !packet.namespace().equals(namespace.name)) {
                    // the stock server closes too: an event on a namespace the client never connected
                    close(CloseReason.BAD_REQUEST);
                    return;
                }
                onEvent(packet);
            }
            // the server never asks for acknowledgements, so there is nothing to match an ACK with
            case ACK -> {}
            default -> close(CloseReason.BAD_REQUEST);
        }
    }

    private void onConnect(Packet packet) {
        String requested = packet.namespace();
        if (!properties.namespaces().contains(requested)) {
            send(SocketIoPackets.connectError(requested, "Invalid namespace", null));
            return;
        }
        if (!NAMESPACE_STATE.compareAndSet(this, NOT_CONNECTED, CONNECTING)) {
            send(SocketIoPackets.connectError(
                    requested, "this server accepts one namespace per connection", errorData(107, null)));
            return;
        }
        JsonNode token = packet.data() == null ? null : packet.data().get("token");
        if (token == null || token.isNull()) {
            if (publicReader == null) {
                refuseConnect(requested, UNAUTHORIZED, "auth.token is required");
                return;
            }
            // source 002's frontend sends no credentials: a public reader of the public projects
            admit(requested, publicReader, null).subscribe(null, error -> onConnectFailed(requested, error));
            return;
        }
        // a token that is there is verified: a bad one is refused, never taken as no token
        if (!token.isString() || token.asString().isBlank()) {
            refuseConnect(requested, UNAUTHORIZED, "auth.token must be a JWT");
            return;
        }
        jwtDecoder
                .decode(token.asString())
                .flatMap(jwt -> {
                    if (!Reader.isUserId(jwt.getSubject())) {
                        refuseConnect(requested, UNAUTHORIZED, Reader.UNUSABLE_SUB);
                        return Mono.empty();
                    }
                    return admit(requested, Reader.of(DashboardPrincipal.from(jwt)), jwt.getExpiresAt());
                })
                .subscribe(null, error -> onConnectFailed(requested, error));
    }

    private Mono<Void> admit(String requested, Reader reader, @Nullable Instant expiresAt) {
        reader(reader);
        expiresAt(expiresAt);
        return hub.register(this).then(Mono.fromRunnable(() -> {
            registered = true;
            if (!isOpen()) {
                // closed while the hub was registering it: closed() may have run before registered was set
                unregisterOnce();
                return;
            }
            namespace.name = requested;
            namespaceState = CONNECTED;
            Disposable timer = connectTimer;
            if (timer != null) {
                timer.dispose();
            }
            send(SocketIoPackets.connect(requested, id()));
        }));
    }

    private void onConnectFailed(String requested, Throwable error) {
        if (error instanceof JwtException jwtError) {
            boolean expired = String.valueOf(jwtError.getMessage())
                    .toLowerCase(Locale.ROOT)
                    .contains("expired");
            refuseConnect(
                    requested,
                    expired ? RealtimeException.TOKEN_EXPIRED : UNAUTHORIZED,
                    expired ? "token expired" : "invalid token");
        } else if (error instanceof RealtimeException refusal) {
            // e.g. 106: too many connections for this user; the stock client does not retry after a CONNECT_ERROR
            closeAfter(
                    SocketIoPackets.connectError(requested, refusal.getMessage(), errorData(refusal.code(), null)),
                    refusal.code() == RealtimeException.LIMIT_EXCEEDED
                            ? CloseReason.CONNECTION_LIMIT
                            : CloseReason.BAD_REQUEST);
        } else {
            // e.g. Redis unreachable: no CONNECT_ERROR (the stock client would stop retrying); 1001 makes it
            // reconnect, possibly to another replica
            log.warn("connection {} could not be admitted", id(), error);
            close(CloseReason.SHUTDOWN);
        }
    }

    private void refuseConnect(String requested, int code, String reason) {
        namespaceState = NOT_CONNECTED;
        send(SocketIoPackets.connectError(requested, "unauthorized", errorData(code, reason)));
    }

    private void onEvent(Packet packet) {
        String event = packet.eventName();
        Long ackId = packet.ackId();
        String subscribeNamespace = SUBSCRIBE_EVENTS.get(event);
        String unsubscribeNamespace = UNSUBSCRIBE_EVENTS.get(event);
        if (subscribeNamespace == null && unsubscribeNamespace == null) {
            reply(event, ackId, null, new RealtimeException(RealtimeException.BAD_REQUEST, "unknown event"));
            return;
        }
        ChannelName channel;
        try {
            channel = ChannelName.of(
                    subscribeNamespace != null ? subscribeNamespace : unsubscribeNamespace,
                    nameArgument(packet.argument(0)));
        } catch (IllegalArgumentException e) {
            reply(event, ackId, null, new RealtimeException(RealtimeException.BAD_REQUEST, e.getMessage()));
            return;
        }
        Supplier<Mono<Void>> request = subscribeNamespace != null
                ? () -> hub.subscribe(this, channel, null, subscribed -> reply(event, ackId, channel, null))
                        .then()
                        .onErrorResume(error -> {
                            reply(event, ackId, channel, error);
                            return Mono.empty();
                        })
                : () -> Mono.fromRunnable(() -> {
                    hub.unsubscribe(this, channel);
                    reply(event, ackId, channel, null);
                });
        if (!serially(request)) {
            reply(
                    event,
                    ackId,
                    channel,
                    new RealtimeException(
                            RealtimeException.LIMIT_EXCEEDED,
                            "too many requests waiting: at most " + maxQueuedRequests + " behind the one running"));
        }
    }

    /** A project name or deployment id: a string, or a number (deployment ids are numeric in source 002). */
    private static String nameArgument(@Nullable JsonNode argument) {
        if (argument != null && (argument.isString() || argument.isIntegralNumber())) {
            return argument.asString();
        }
        throw new IllegalArgumentException("expected a project name or deployment id (a string) as argument");
    }

    /**
     * Answers a client request: through its acknowledgement when it asked for one ({@code {ok, channel}} or {@code
     * {ok:false, error:{code, message}}}), else a refusal becomes an {@code error} event, never silence.
     */
    private void reply(String event, @Nullable Long ackId, @Nullable ChannelName channel, @Nullable Throwable error) {
        var json = SocketIoPackets.json();
        String ns = namespace.name;
        if (ns == null) {
            return;
        }
        if (error == null) {
            if (ackId != null) {
                ObjectNode ok = json.createObjectNode().put("ok", true);
                if (channel != null) {
                    ok.put("channel", channel.toString());
                }
                send(SocketIoPackets.ack(ns, ackId, ok));
            }
            return;
        }
        int code = RealtimeException.INTERNAL;
        String message = "internal error";
        if (error instanceof RealtimeException refusal) {
            code = refusal.code();
            message = refusal.getMessage();
        } else {
            log.warn("connection {}: {} failed", id(), event, error);
        }
        ObjectNode details = errorData(code, message);
        if (ackId != null) {
            ObjectNode failed = json.createObjectNode().put("ok", false);
            if (channel != null) {
                failed.put("channel", channel.toString());
            }
            failed.set("error", details);
            send(SocketIoPackets.ack(ns, ackId, failed));
        } else {
            String name = RealtimeException.requestName(event);
            if (name != null) {
                details.put("event", name);
            }
            if (channel != null) {
                details.put("channel", channel.toString());
            }
            send(SocketIoPackets.event(ns, "error", details));
        }
    }

    private static ObjectNode errorData(int code, @Nullable String message) {
        ObjectNode data = SocketIoPackets.json().createObjectNode().put("code", code);
        if (message != null) {
            data.put("message", message);
        }
        return data;
    }

    private void unregisterOnce() {
        if (UNREGISTERED.compareAndSet(this, 0, 1)) {
            hub.unregister(this)
                    .subscribe(null, error -> log.warn("connection {} could not be unregistered", id(), error));
        }
    }

    /**
     * Runs client requests one at a time, in arrival order; each may complete later (hub, subscribe proxy).
     *
     * @return false when {@code maxQueuedRequests} wait already: the request is not run, the caller refuses it
     */
    private boolean serially(Supplier<Mono<Void>> request) {
        synchronized (this) {
            if (requestRunning) {
                if (pendingRequests == null) {
                    pendingRequests = new ArrayDeque<>(4);
                }
                if (pendingRequests.size() >= maxQueuedRequests) {
                    return false;
                }
                pendingRequests.add(request);
                return true;
            }
            requestRunning = true;
        }
        run(request);
        return true;
    }

    private void run(Supplier<Mono<Void>> request) {
        Mono.defer(request)
                .onErrorResume(error -> {
                    log.warn("connection {}: request failed", id(), error);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    Supplier<Mono<Void>> next;
                    synchronized (this) {
                        next = pendingRequests == null ? null : pendingRequests.poll();
                        if (next == null) {
                            requestRunning = false;
                        }
                    }
                    if (next != null) {
                        run(next);
                    }
                })
                .subscribe();
    }
}
