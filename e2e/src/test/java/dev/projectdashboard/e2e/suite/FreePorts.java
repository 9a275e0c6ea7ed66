package dev.projectdashboard.e2e.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports nobody listens on right now, so the suite under test never meets a suite, a developer's servers or another
 * test run on the default ports (8080-8085, 6379, 5432, 1883, 9000). All are held open until every one is chosen, so
 * the list has no repeats; between closing them and the servers binding them another program could take one, which
 * the launcher then reports by name.
 */
final class FreePorts {

    private FreePorts() {}

    static List<Integer> take(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, loopback));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find " + count + " free ports", e);
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
