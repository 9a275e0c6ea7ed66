package dev.projectdashboard.launcher.readiness;

import dev.projectdashboard.launcher.suite.StackPorts.PortClaim;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/** Tells whether ports are free before anything starts, so a clash is reported by name, not by a stack trace. */
public final class PortCheck {

    private PortCheck() {}

    /**
     * Binding the wildcard address fails if anything listens on the port on any local address; that is
     * exactly what would make the server fail later.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static List<PortClaim> taken(List<PortClaim> claims) {
        return claims.stream().filter(claim -> !isFree(claim.port())).toList();
    }

    /** Whether something accepts connections on the port (for {@code status}). */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
