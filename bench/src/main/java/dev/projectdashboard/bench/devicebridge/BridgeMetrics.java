package dev.projectdashboard.bench.devicebridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * device-bridge's own view, read from its {@code /actuator/prometheus}: how many requests it answered
 * ({@code device_bridge_upload_requests_total}, by result and error_code) and how many wait or run
 * ({@code device_bridge_request_queue_depth} + {@code device_bridge_requests_in_flight}).
 */
final class BridgeMetrics {

    static final String ANSWERS = "device_bridge_upload_requests_total";
    private static final String QUEUED = "device_bridge_request_queue_depth";
    private static final String RUNNING = "device_bridge_requests_in_flight";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI prometheus;

    BridgeMetrics(URI prometheus) {
        this.prometheus = prometheus;
    }

    /** Requests answered so far, every result; NaN when the metrics cannot be read. */
    double answered() {
        return scrape(ANSWERS).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
    }

    /** Answers so far by their labels ({@code error_code="none",result="success"}). */
    Map<String, Double> answers() {
        return scrape(ANSWERS);
    }

    /** Requests queued or being answered right now (0 when the metrics cannot be read: nothing to wait for). */
    double busy() {
        Map<String, Double> queued = scrape(QUEUED);
        Map<String, Double> running = scrape(RUNNING);
        return queued.values().stream().mapToDouble(Double::doubleValue).sum()
                + running.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The samples of one metric, by their labels (the application label left out); empty when unreadable. */
    private Map<String, Double> scrape(String metric) {
        Map<String, Double> samples = new TreeMap<>();
        String body;
        try {
            body = http.send(
                            HttpRequest.newBuilder(prometheus)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return samples;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return samples;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                int close = line.indexOf('}');
                String labels = close < 0
                        ? ""
                        : line.substring(metric.length() + 1, close)
                                .replaceAll("application=\"[^\"]*\",?", "")
                                .replaceAll(",$", "");
                samples.merge(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return samples;
    }
}
