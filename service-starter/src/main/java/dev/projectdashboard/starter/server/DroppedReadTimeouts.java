package dev.projectdashboard.starter.server;

import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Keeps a stalled request body out of the error log. Reactor Netty (1.3.8) signals the read timeout to the body's
 * subscriber, which answers 408, and then signals it a second time when the exchange is disposed; Reactor reports that
 * second, dropped signal at ERROR ("Operator called default onErrorDropped"). The hook is JVM-wide and cumulative, so
 * it is installed once and reports every other dropped error as Reactor's default does.
 */
final class DroppedReadTimeouts {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final Logger reactorLog = Loggers.getLogger(Operators.class);

    private DroppedReadTimeouts() {}

    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            Hooks.onErrorDropped(error -> {
                if (!(error instanceof ReadTimeoutException)) {
                    reactorLog.error("Operator called default onErrorDropped", error);
                }
            });
        }
    }
}
