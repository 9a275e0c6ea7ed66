package dev.projectdashboard.bench.pushservice;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * push-service's own view, read from its {@code /actuator/prometheus}: entries its consumer group handled
 * ({@code dashboard_events_consumed_total}) and attempts by outcome ({@code push_attempts_total}).
 */
final class PushMetrics {

    static final String CONSUMED = "dashboard_events_consumed_total";
    static final String ATTEMPTS = "push_attempts_total";

    private static final Pattern OUTCOME = Pattern.compile("outcome=\"([^\"]*)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI prometheus;

    PushMetrics(URI prometheus) {
        this.prometheus = prometheus;
    }

    /** Entries of events:tasks push-service's group handled so far; -1 when the metrics cannot be read. */
    long consumed() {
        String body = scrape();
        if (body == null) {
            return -1;
        }
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(CONSUMED + "{") && line.contains("stream=\"events:tasks\"")) {
                sum += value(line);
            }
        }
        return (long) sum;
    }

    /** Attempts so far by outcome ({@code delivered}, {@code retry}, …), every webhook; empty when unreadable. */
    Map<String, Long> attempts() {
        Map<String, Long> out = new TreeMap<>();
        String body = scrape();
        if (body == null) {
            return out;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith(ATTEMPTS + "{")) {
                Matcher outcome = OUTCOME.matcher(line);
                if (outcome.find()) {
                    out.merge(outcome.group(1), (long) value(line), Long::sum);
                }
            }
        }
        return out;
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private String scrape() {
        try {
            return http.send(
                            HttpRequest.newBuilder(prometheus)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
