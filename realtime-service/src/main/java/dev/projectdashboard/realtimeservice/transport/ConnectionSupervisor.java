package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.hub.CloseReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The heartbeat of every open {@link WebSocketConnection} on this replica, native and Socket.IO: one sweep over all
 * connections a few times per ping interval sends due pings, closes silent clients (3012) and connections whose
 * token expired (3109). One shared timer instead of one per connection keeps an idle connection small. On shutdown
 * every connection is closed with 1001 so clients reconnect to another replica at once.
 */
@Component
public class ConnectionSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final Clock clock;

    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final Duration period;
    private volatile Disposable sweeper;

    public ConnectionSupervisor(ConnectionProperties properties, Clock clock) {
        this.clock = clock;
        // a quarter of the shorter interval: pings and timeouts are late by at most that much
        Duration shorter = properties.pingInterval().compareTo(properties.pongTimeout()) < 0
                ? properties.pingInterval()
                : properties.pongTimeout();
        Duration quarter = shorter.dividedBy(4);
        this.period = quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    void add(WebSocketConnection connection) {
        connections.add(connection);
    }

    void remove(WebSocketConnection connection) {
        connections.remove(connection);
    }

    /** Open connections on this replica, all transports. */
    public int size() {
        return connections.size();
    }

    /** One sweep; the timer calls it, tests may too. */
    public void sweep() {
        long nowNanos = System.nanoTime();
        long nowMillis = clock.millis();
        for (WebSocketConnection connection : connections) {
            try {
                connection.heartbeat(nowNanos, nowMillis);
            } catch (RuntimeException e) {
                log.warn("heartbeat of connection {} failed", connection.id(), e);
            }
        }
    }

    @Override
    public void start() {
        sweeper = Flux.interval(period, period, Schedulers.parallel())
                .onBackpressureDrop()
                .subscribe(tick -> sweep());
    }

    @Override
    public void stop() {
        Disposable current = sweeper;
        if (current != null) {
            current.dispose();
            sweeper = null;
        }
        connections.forEach(connection -> connection.close(CloseReason.SHUTDOWN));
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }

    @Override
    public int getPhase() {
        // stopped before the web server's graceful shutdown (DEFAULT_PHASE - 1024), which would otherwise wait
        // for open WebSockets
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
