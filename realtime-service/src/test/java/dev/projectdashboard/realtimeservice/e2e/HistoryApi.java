package dev.projectdashboard.realtimeservice.e2e;

import static org.awaitility.Awaitility.await;

import dev.projectdashboard.starter.DevDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The history API as a test reads a channel's position: to wait until the sequencer has put an event in it. */
public final class HistoryApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HistoryApi() {}

    /** The channel's history page ({@code channel}, {@code epoch}, {@code offset}, …), with the service API key. */
    public static JsonNode read(WebTestClient http, String channel) {
        byte[] body = http.get()
                .uri("/api/v1/realtime/history/" + channel)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return JSON.readTree(new String(body, StandardCharsets.UTF_8));
    }

    /** The page once the channel's newest offset is at least {@code offset}. */
    public static JsonNode awaitOffset(WebTestClient http, String channel, long offset, Duration atMost) {
        return await().atMost(atMost)
                .until(() -> read(http, channel), page -> page.path("offset").asLong() >= offset);
    }
}
