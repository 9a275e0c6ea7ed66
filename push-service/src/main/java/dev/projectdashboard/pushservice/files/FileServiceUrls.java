package dev.projectdashboard.pushservice.files;

import dev.projectdashboard.pushservice.delivery.FileUrls;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * file-service's {@code POST /internal/v1/files/download-url} (docs/file-service.md): a presigned GET of a task's
 * result file, valid for an hour as source 003's {@code {{file_url}}} is.
 */
public class FileServiceUrls implements FileUrls {

    /** Source 003: the file URL is valid for one hour. */
    private static final long EXPIRY_SECONDS = 3600;

    private final WebClient client;
    private final Duration timeout;

    public FileServiceUrls(String baseUrl, String apiKey, Duration timeout) {
        this.timeout = timeout;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .responseTimeout(timeout);
        this.client = WebClient.builder()
                .baseUrl(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader("X-Api-Key", apiKey)
                .build();
    }

    @Override
    public Mono<String> downloadUrl(String taskId, String file) {
        return client.post()
                .uri("/internal/v1/files/download-url")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("task_id", taskId, "file", file, "expire_time", EXPIRY_SECONDS))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(JsonNode.class)
                                .map(body -> body.path("download_url").asString(""))
                                .filter(url -> !url.isEmpty());
                    }
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()
                            || response.statusCode().value() == HttpStatus.BAD_REQUEST.value()) {
                        // no such file (or a name file-service would never have stored): the body gets no URL
                        return response.releaseBody().then(Mono.empty());
                    }
                    return response.releaseBody()
                            .then(Mono.error(new IllegalStateException("file-service answered "
                                    + response.statusCode().value())));
                })
                .timeout(timeout);
    }
}
