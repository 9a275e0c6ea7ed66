package dev.projectdashboard.launcher.readiness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** Polls a service's readiness endpoint until it answers UP, the process dies, or time runs out. */
public final class ReadinessProbe {

    private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

    private final HttpClient client;
    private final Duration pollInterval;
    private final Duration requestTimeout;

    public ReadinessProbe(Duration pollInterval, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
        this.pollInterval = pollInterval;
        this.requestTimeout = requestTimeout;
    }

    public enum Result {
        READY,
        DIED,
        TIMED_OUT
    }

    /** 127.0.0.1 rather than localhost: the name may resolve to ::1 first on some machines. */
    public static URI readinessUri(int port) {
        return URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
    }

    public boolean isReady(URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && UP.matcher(response.body()).find();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @param alive checked before every poll; false ends the wait with {@link Result#DIED} */
    public Result await(URI uri, BooleanSupplier alive, Instant deadline) {
        while (true) {
            if (!alive.getAsBoolean()) {
                return Result.DIED;
            }
            if (isReady(uri)) {
                return Result.READY;
            }
            if (!Instant.now().plus(pollInterval).isBefore(deadline)) {
                return Result.TIMED_OUT;
            }
            if (!pause()) {
                return Result.DIED;
            }
        }
    }

    /** Waits for a condition with the same cadence (local-stack is ready when its env file exists). */
    public Result awaitCondition(BooleanSupplier condition, BooleanSupplier alive, Instant deadline) {
        while (true) {
            if (condition.getAsBoolean()) {
                return Result.READY;
            }
            if (!alive.getAsBoolean()) {
                // it may have finished its work in the same instant it exited
                return condition.getAsBoolean() ? Result.READY : Result.DIED;
            }
            if (!Instant.now().plus(pollInterval).isBefore(deadline)) {
                return Result.TIMED_OUT;
            }
            if (!pause()) {
                return Result.DIED;
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
