package dev.projectdashboard.deploynotifier.api;

import dev.projectdashboard.deploynotifier.ingest.Receipt;
import dev.projectdashboard.deploynotifier.ingest.WebhookIngest;
import dev.projectdashboard.deploynotifier.ingest.WebhookProperties;
import dev.projectdashboard.starter.problem.ProblemException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The two webhooks (gateway paths {@code /project-dashboard/api/webhooks/{deployment,github}}). They are not behind
 * the user JWT: each request is authenticated by its signature or bearer token over the raw body, which is read here
 * as bytes, up to the configured size.
 */
@RestController
@RequestMapping("/api/webhooks")
class WebhookController {

    private final WebhookIngest ingest;
    private final WebhookProperties properties;

    WebhookController(WebhookIngest ingest, WebhookProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    @PostMapping("/deployment")
    Mono<ResponseEntity<DeploymentViews.Accepted>> deployment(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            return Mono.error(new ProblemException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the notification as application/json"));
        }
        return body(request)
                .flatMap(body -> ingest.deployment(body, request.getHeaders()))
                .map(accepted ->
                        ResponseEntity.status(HttpStatus.ACCEPTED).body(DeploymentViews.Accepted.of(accepted)));
    }

    @PostMapping("/github")
    Mono<ResponseEntity<Object>> github(ServerHttpRequest request) {
        return body(request)
                .flatMap(body -> ingest.github(body, request.getHeaders()))
                .map(receipt -> ResponseEntity.status(HttpStatus.ACCEPTED).body(view(receipt)));
    }

    private static Object view(Receipt receipt) {
        return receipt instanceof Receipt.Accepted accepted
                ? DeploymentViews.Accepted.of(accepted)
                : DeploymentViews.Ignored.of((Receipt.Ignored) receipt);
    }

    /** The raw body; 413 when it is (or announces to be) larger than allowed, 408 when it stalls. */
    private Mono<byte[]> body(ServerHttpRequest request) {
        int max = (int) Math.min(Integer.MAX_VALUE, properties.maxPayloadSize().toBytes());
        long announced = request.getHeaders().getContentLength();
        if (announced > max) {
            return Mono.error(tooLarge(max));
        }
        return DataBufferUtils.join(request.getBody(), max)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .timeout(properties.bodyTimeout())
                .onErrorMap(DataBufferLimitException.class, error -> tooLarge(max))
                .onErrorMap(
                        TimeoutException.class,
                        error -> new ProblemException(
                                HttpStatus.REQUEST_TIMEOUT,
                                "The body did not arrive within "
                                        + properties.bodyTimeout().toSeconds() + " s; nothing was stored"));
    }

    private static ProblemException tooLarge(int max) {
        return new ProblemException(
                HttpStatus.CONTENT_TOO_LARGE, "The payload is larger than " + max + " bytes; nothing was stored");
    }
}
