package dev.projectdashboard.e2e.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports nobody listens on right now, so the suite under test never meets a suite, a developer's servers or another
 * test run on the default ports (8080-8085, 6379, 5432, 1883, 9000). They are drawn below Linux's ephemeral range
 * (32768-60999), where the kernel picks the local ports of outgoing connections: a port from there could be taken by
 * some client's connection between this choice and the server binding it. Each is bound on every interface (the
 * gateway listens there) and held until all are chosen, so the list has no repeats; another program taking one before
 * its server binds it stops the start with the launcher's message naming the port.
 */
final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final int ATTEMPTS = 1_000;

    private FreePorts() {}

    static List<Integer> take(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < ATTEMPTS && held.size() < count; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
                try {
                    ServerSocket socket = new ServerSocket();
                    try {
                        socket.bind(new InetSocketAddress(port), 1);
                        held.add(socket);
                    } catch (IOException taken) {
                        socket.close();
                    }
                } catch (IOException e) {
                    // could not even open a socket: try the next candidate
                }
            }
            if (held.size() < count) {
                throw new IllegalStateException("Found only " + held.size() + " of " + count + " free ports between "
                        + LOWEST + " and " + HIGHEST);
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket nobody used: nothing to do
                }
            }
        }
    }
}
