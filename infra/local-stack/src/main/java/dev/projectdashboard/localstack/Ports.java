package dev.projectdashboard.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Loopback port helpers: every server of the stack listens on 127.0.0.1 only. */
final class Ports {

    static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** The configured port, or for {@code 0} a free one not already handed out in {@code assigned}. */
    static int resolve(int configured, Set<Integer> assigned) {
        int port = configured;
        while (port == 0 || !assigned.add(port)) {
            if (configured != 0) {
                throw new IllegalArgumentException("port " + configured + " is configured for two servers");
            }
            port = freePort();
        }
        return port;
    }

    /** Whether nothing listens on the port now (a later bind can still lose a race). */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // as the servers bind: connections of a just-stopped server (TIME_WAIT) do not count, listeners do,
            // including one on the wildcard address
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
