package dev.projectdashboard.starter.testapp;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardAuthorization;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import dev.projectdashboard.starter.security.DashboardSecurityCustomizer;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A minimal service on the starter, with one endpoint per behaviour the tests prove. */
@SpringBootApplication
public class StarterTestApplication {

    @Bean
    DashboardSecurityCustomizer adminRules() {
        return exchanges -> exchanges
                .pathMatchers("/api/admin/**")
                .access(DashboardAuthorization.admin())
                .pathMatchers("/api/publish")
                .access(DashboardAuthorization.serviceOrAdmin());
    }

    @Bean
    RouterFunction<ServerResponse> functionalRoutes(Validator validator) {
        return RouterFunctions.route()
                .POST("/fn/items", request -> request.bodyToMono(Item.class).flatMap(item -> {
                    Set<ConstraintViolation<Item>> violations = validator.validate(item);
                    if (!violations.isEmpty()) {
                        return Mono.error(new ConstraintViolationException(violations));
                    }
                    return ServerResponse.ok().bodyValue(item);
                }))
                .GET("/fn/hello", request -> ServerResponse.ok().bodyValue(Map.of("hello", "world")))
                .GET("/fn/boom", request -> Mono.error(new IllegalStateException("functional secret detail")))
                .GET("/fn/gone", request -> Mono.error(new ProblemException(HttpStatus.GONE, "It is gone.")))
                .build();
    }

    /** A dependency whose health details name internal topology, as Redis's and PostgreSQL's indicators do. */
    @Bean
    ReactiveHealthIndicator upstream() {
        return () ->
                Mono.just(Health.up().withDetail("address", "10.0.0.5:6379").build());
    }

    /** {@code /ws/echo}: a WebSocket that answers every text frame with the same text, for connection timeouts. */
    @Bean
    HandlerMapping echoWebSocket() {
        WebSocketHandler echo = session ->
                session.send(session.receive().map(message -> session.textMessage(message.getPayloadAsText())));
        return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo), Ordered.HIGHEST_PRECEDENCE);
    }

    /** What a request body looks like in a service. */
    public record Item(@NotBlank String name, @Min(1) @Max(10) int quantity) {}

    /** A body with the kinds of values services take: text, an instant, a whole number and a list of names. */
    public record Reading(@NotBlank String name, Instant at, Long count, List<String> tags) {}

    /** A snake_case body as services take them, with a nested list; problems name its fields in snake_case. */
    public record Shipment(
            @JsonProperty("device_id") @NotBlank String deviceId, @Valid @NotEmpty List<ShipmentLine> items) {}

    public record ShipmentLine(@JsonProperty("file_name") @NotBlank String fileName) {}

    @RestController
    static class TestController {

        @GetMapping("/api/me")
        Map<String, Object> me(@AuthenticationPrincipal DashboardPrincipal user) {
            return Map.of(
                    "user_id", user.userId(),
                    "roles", new TreeSet<>(user.roles()),
                    "projects", new TreeSet<>(user.projects()),
                    "devices", new TreeSet<>(user.devices()),
                    "admin", user.isAdmin(),
                    "may_watch_demo", user.mayWatchProject("demo"),
                    "may_act_for_cam_1", user.mayActForDevice("cam-1"));
        }

        @GetMapping("/ws")
        Map<String, String> websocketHandshakeStandIn(@AuthenticationPrincipal DashboardPrincipal user) {
            return Map.of("user_id", user.userId());
        }

        @GetMapping("/api/admin/stats")
        Map<String, Integer> adminStats() {
            return Map.of("users", 1);
        }

        @PostMapping("/api/publish")
        Map<String, Boolean> publish() {
            return Map.of("published", true);
        }

        @GetMapping("/internal/ping")
        Map<String, String> internalPing() {
            return Map.of("pong", "ok");
        }

        @PostMapping("/api/items")
        Item create(@Valid @RequestBody Item item) {
            return item;
        }

        @PostMapping("/api/shipments")
        Shipment ship(@Valid @RequestBody Shipment shipment) {
            return shipment;
        }

        @PostMapping("/api/readings")
        Reading reading(@Valid @RequestBody Reading reading) {
            return reading;
        }

        /** Takes any JSON document, as services that read webhooks into a tree do. */
        @PostMapping("/api/documents")
        JsonNode document(@RequestBody JsonNode document) {
            return document;
        }

        /** Streams the body and counts it, as an upload endpoint does. */
        @PostMapping("/api/uploads")
        Mono<Map<String, Long>> upload(@RequestBody Flux<DataBuffer> body) {
            return body.map(buffer -> {
                        long size = buffer.readableByteCount();
                        DataBufferUtils.release(buffer);
                        return size;
                    })
                    .reduce(0L, Long::sum)
                    .map(size -> Map.of("size", size));
        }

        @GetMapping("/api/items")
        Map<String, Integer> list(@RequestParam("page_size") @Min(1) int pageSize) {
            return Map.of("page_size", pageSize);
        }

        @GetMapping("/api/boom")
        Map<String, String> boom() {
            throw new IllegalStateException("controller secret detail");
        }

        /** A signed-webhook stand-in: it reads its own Authorization header. */
        @PostMapping("/hooks/deploy")
        Map<String, String> hook(@RequestHeader(name = "Authorization", required = false) String authorization) {
            return Map.of("authorization", String.valueOf(authorization));
        }

        @GetMapping("/api/conflict")
        Map<String, String> conflict() {
            throw new ProblemException(HttpStatus.CONFLICT, "The item already exists.").with("item", "x");
        }
    }
}
