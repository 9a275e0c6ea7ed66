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
import dev.projectdashboard.realtimeservice.transport.Protocol;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Engine.IO v4 over WebSocket and the Socket.IO socket on it: the protocol of a {@link WebSocketConnection} made by
 * {@link SocketIoEndpoint}.
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
 * connects several namespaces of the same host at once, which the deployment dashboard's frontend (docs/contracts.md) does not.
 */
final class SocketIoProtocol implements Protocol {

    private static final Logger log = LoggerFactory.getLogger(SocketIoProtocol.class);

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
    private static final AtomicIntegerFieldUpdater<SocketIoProtocol> NAMESPACE_STATE =
            AtomicIntegerFieldUpdater.newUpdater(SocketIoProtocol.class, "namespaceState");
    private static final AtomicIntegerFieldUpdater<SocketIoProtocol> UNREGISTERED =
            AtomicIntegerFieldUpdater.newUpdater(SocketIoProtocol.class, "unregistered");

    private final WebSocketConnection connection;
    private final Hub hub;
    private final ReactiveJwtDecoder jwtDecoder;
    private final SocketIoProperties properties;
    // requests that may wait behind a slow one (e.g. a subscribe waiting for the subscribe proxy); each one more is
    // refused on its own
    private final int maxQueuedRequests;
    // who a CONNECT without a token becomes: null unless public projects are set
    private final @Nullable Reader publicReader;

    private volatile int namespaceState;
    // the namespace the client connected: null until its CONNECT succeeded
    private volatile @Nullable String namespace;
    private volatile boolean registered;
    private volatile int unregistered;
    private volatile @Nullable Disposable connectTimer;

    // client requests run one after the other (concatMap), so a subscribe and an unsubscribe of the same channel take
    // effect in the order they were sent; one emitter, the event loop reading the connection's frames
    private final Sinks.Many<Mono<Void>> requests = Sinks.many().unicast().onBackpressureBuffer();
    // requests running or waiting: at most one running and maxQueuedRequests waiting
    private final AtomicInteger requestsInFlight = new AtomicInteger();

    /**
     * @param connection the connection this protocol speaks on
     * @param maxQueuedRequests client requests that may wait while one runs: as many as the connection may hold
     *     subscriptions, so a client that subscribes to all it may at once is served
     * @param publicReader who a CONNECT without a token becomes; {@code null}: such a CONNECT is refused
     */
    SocketIoProtocol(
            WebSocketConnection connection,
            Hub hub,
            ReactiveJwtDecoder jwtDecoder,
            SocketIoProperties properties,
            int maxQueuedRequests,
            @Nullable Reader publicReader) {
        this.connection = connection;
        this.hub = hub;
        this.jwtDecoder = jwtDecoder;
        this.properties = properties;
        this.maxQueuedRequests = maxQueuedRequests;
        this.publicReader = publicReader;
        requests.asFlux()
                .concatMap(
                        request -> request.onErrorResume(error -> {
                                    log.warn("connection {}: request failed", connection.id(), error);
                                    return Mono.empty();
                                })
                                .doFinally(signal -> requestsInFlight.decrementAndGet()),
                        0)
                .subscribe();
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public String frame(Publication publication) {
        return DeploymentEvents.frame(publication, namespace);
    }

    @Override
    public Mono<Void> opened() {
        var settings = connection.support().properties();
        send(SocketIoPackets.open(
                connection.id(),
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
    public String pingFrame() {
        return SocketIoPackets.PING_FRAME;
    }

    @Override
    public void onText(String text) {
        if (text.isEmpty()) {
            close(CloseReason.BAD_REQUEST);
            return;
        }
        switch (text.charAt(0)) {
            case SocketIoPackets.MESSAGE -> onPacket(text);
            case SocketIoPackets.CLOSE -> close(CloseReason.NORMAL);
            // pong (the connection noted the sign of life), noop; client pings do not exist in v4 but are harmless
            case SocketIoPackets.PONG, SocketIoPackets.NOOP, SocketIoPackets.PING -> {}
            default -> close(CloseReason.BAD_REQUEST);
        }
    }

    @Override
    public void closed() {
        Disposable timer = connectTimer;
        if (timer != null) {
            timer.dispose();
        }
        // what waits still runs, and finds the connection closed
        requests.tryEmitComplete();
        if (registered) {
            unregisterOnce();
        }
    }

    @Override
    public boolean accepts(Publication publication) {
        // personal channels (user:, system:) carry task and notification events, which Socket.IO clients do not get
        // (docs/contracts.md, realtime-service); an event on project:x and deployment:y arrives once (the hub
        // delivers each event once per connection)
        return namespace != null && DeploymentEvents.typeOf(publication.type()) != null;
    }

    /**
     * An administrator's disconnect ({@link CloseReason#FORCED}) first sends the namespace DISCONNECT: the stock
     * client then reports {@code io server disconnect} and does not reconnect on its own, whereas after a plain
     * WebSocket close it would reconnect at once.
     */
    @Override
    public @Nullable String lastFrame(CloseReason reason) {
        String ns = namespace;
        return reason == CloseReason.FORCED && ns != null ? SocketIoPackets.disconnect(ns) : null;
    }

    @Override
    public void presence(String channel, PresenceChange change) {
        // Socket.IO clients get no presence events (docs/contracts.md, realtime-service); the API still lists it
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
            log.debug("connection {} sent a malformed packet: {}", connection.id(), e.getMessage());
            close(CloseReason.BAD_REQUEST);
            return;
        }
        switch (packet.type()) {
            case CONNECT -> onConnect(packet);
            case DISCONNECT -> {
                if (packet.namespace().equals(namespace)) {
                    close(CloseReason.NORMAL);
                }
            }
            case EVENT -> {
                if (namespaceState != CONNECTED || !packet.namespace().equals(namespace)) {
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
            // the dashboard frontend sends no credentials: a public reader of the public projects
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
        connection.reader(reader);
        connection.expiresAt(expiresAt);
        return hub.register(connection).then(Mono.fromRunnable(() -> {
            registered = true;
            if (!connection.isOpen()) {
                // closed while the hub was registering it: closed() may have run before registered was set
                unregisterOnce();
                return;
            }
            namespace = requested;
            namespaceState = CONNECTED;
            Disposable timer = connectTimer;
            if (timer != null) {
                timer.dispose();
            }
            send(SocketIoPackets.connect(requested, connection.id()));
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
            connection.closeAfter(
                    SocketIoPackets.connectError(requested, refusal.getMessage(), errorData(refusal.code(), null)),
                    refusal.code() == RealtimeException.LIMIT_EXCEEDED
                            ? CloseReason.CONNECTION_LIMIT
                            : CloseReason.BAD_REQUEST);
        } else {
            // e.g. Redis unreachable: no CONNECT_ERROR (the stock client would stop retrying); 1001 makes it
            // reconnect, possibly to another replica
            log.warn("connection {} could not be admitted", connection.id(), error);
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
                ? () -> hub.subscribe(connection, channel, null, subscribed -> reply(event, ackId, channel, null))
                        .then()
                        .onErrorResume(error -> {
                            reply(event, ackId, channel, error);
                            return Mono.empty();
                        })
                : () -> Mono.fromRunnable(() -> {
                    hub.unsubscribe(connection, channel);
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

    /** A project name or deployment id: a string, or a number (deployment ids are numeric, docs/contracts.md). */
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
        String ns = namespace;
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
            log.warn("connection {}: {} failed", connection.id(), event, error);
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
            hub.unregister(connection)
                    .subscribe(
                            null, error -> log.warn("connection {} could not be unregistered", connection.id(), error));
        }
    }

    /**
     * Runs client requests one at a time, in arrival order; each may complete later (hub, subscribe proxy).
     *
     * @return false when {@code maxQueuedRequests} wait already: the request is not run, the caller refuses it
     */
    private boolean serially(Supplier<Mono<Void>> request) {
        if (requestsInFlight.incrementAndGet() > maxQueuedRequests + 1) {
            requestsInFlight.decrementAndGet();
            return false;
        }
        if (requests.tryEmitNext(Mono.defer(request)).isFailure()) {
            // completed: the connection is over
            requestsInFlight.decrementAndGet();
        }
        return true;
    }

    private boolean send(String frame) {
        return connection.send(frame);
    }

    private void close(CloseReason reason) {
        connection.close(reason);
    }
}
