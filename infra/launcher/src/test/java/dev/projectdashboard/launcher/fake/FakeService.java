package dev.projectdashboard.launcher.fake;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for a Spring Boot service in tests: serves {@code /actuator/health/readiness} on SERVER_PORT,
 * answering DOWN (503) for the first calls and UP after. Modes: {@code up} (default), {@code fail} (prints a
 * reason and exits 3), {@code never} (stays DOWN), {@code stubborn} (ignores SIGTERM-triggered shutdown
 * by never finishing its shutdown hook).
 */
public final class FakeService {

    private FakeService() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "up";
        int port = Integer.parseInt(System.getenv("SERVER_PORT"));
        System.out.println("fake service starting on port " + port + " with REDIS_URL=" + System.getenv("REDIS_URL"));
        if (mode.equals("fail")) {
            System.out.println("boom: this service cannot start");
            System.exit(3);
        }
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            boolean up = !mode.equals("never") && calls.incrementAndGet() > 2;
            byte[] body = ("{\"status\":\"" + (up ? "UP" : "OUT_OF_SERVICE") + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        if (mode.equals("stubborn")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        new CountDownLatch(1).await();
    }
}
