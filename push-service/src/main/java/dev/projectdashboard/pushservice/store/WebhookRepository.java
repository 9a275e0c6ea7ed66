package dev.projectdashboard.pushservice.store;

import dev.projectdashboard.pushservice.retry.RetrySchedule;
import dev.projectdashboard.pushservice.secret.SecretBox;
import dev.projectdashboard.pushservice.webhook.AuthType;
import dev.projectdashboard.pushservice.webhook.Webhook;
import dev.projectdashboard.pushservice.webhook.WebhookAuth;
import dev.projectdashboard.pushservice.webhook.WebhookStore;
import io.r2dbc.spi.Readable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook registrations, {@code push.webhook_subscription}. The signing secrets and the auth config are sealed with
 * AES-256-GCM ({@code PUSH_ENCRYPTION_KEY}); each ciphertext's associated data names its row and column, so a
 * ciphertext copied to another row or column does not open.
 */
@Repository
public class WebhookRepository implements WebhookStore {

    private static final String COLUMNS = "id, name, url, event_types, subject_prefix, body_template, auth_type,"
            + " auth_ciphertext, secret_ciphertext, previous_secret_ciphertext, previous_secret_expires_at, timeout_ms,"
            + " retry_delays_s, rate_limit, enabled, disabled_reason, created_by, created_at, updated_at";

    private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() {};

    private final DatabaseClient database;
    private final SecretBox box;
    private final JsonMapper json;

    WebhookRepository(DatabaseClient database, SecretBox box, JsonMapper json) {
        this.database = database;
        this.box = box;
        this.json = json;
    }

    @Override
    public Mono<Webhook> insert(Webhook webhook) {
        return bind(
                        database.sql("insert into webhook_subscription (" + COLUMNS + ") values (:id, :name, :url,"
                                + " :event_types, :subject_prefix, :body_template, :auth_type, :auth, :secret,"
                                + " :previous_secret, :previous_expires, :timeout_ms, :retry_delays, :rate_limit,"
                                + " :enabled, :disabled_reason, :created_by, :created_at, :updated_at)"),
                        webhook)
                .fetch()
                .rowsUpdated()
                .thenReturn(webhook);
    }

    @Override
    public Mono<Webhook> update(Webhook webhook) {
        return bind(
                        database.sql(
                                "update webhook_subscription set name = :name, url = :url, event_types = :event_types,"
                                        + " subject_prefix = :subject_prefix, body_template = :body_template, auth_type ="
                                        + " :auth_type, auth_ciphertext = :auth, secret_ciphertext = :secret,"
                                        + " previous_secret_ciphertext = :previous_secret, previous_secret_expires_at ="
                                        + " :previous_expires, timeout_ms = :timeout_ms, retry_delays_s = :retry_delays,"
                                        + " rate_limit = :rate_limit, enabled = :enabled, disabled_reason = :disabled_reason,"
                                        + " created_by = :created_by, created_at = :created_at, updated_at = :updated_at"
                                        + " where id = :id"),
                        webhook)
                .fetch()
                .rowsUpdated()
                .flatMap(rows -> rows > 0 ? Mono.just(webhook) : Mono.empty());
    }

    @Override
    public Mono<Webhook> find(UUID id) {
        return database.sql("select " + COLUMNS + " from webhook_subscription where id = :id")
                .bind("id", id)
                .map(this::webhook)
                .one();
    }

    @Override
    public Flux<Webhook> list(int limit, long offset) {
        return database.sql("select " + COLUMNS
                        + " from webhook_subscription order by created_at desc, id limit :limit offset :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map(this::webhook)
                .all();
    }

    @Override
    public Mono<Long> count() {
        return database.sql("select count(*) from webhook_subscription")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    @Override
    public Mono<Boolean> delete(UUID id) {
        // cascades to the webhook's deliveries, which batches of outcomes may be locking at the same moment
        return database.sql("delete from webhook_subscription where id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0)
                .retryWhen(Deadlocks.retry());
    }

    @Override
    public Flux<Webhook> enabled() {
        return database.sql("select " + COLUMNS + " from webhook_subscription where enabled")
                .map(this::webhook)
                .all();
    }

    @Override
    public Mono<Void> disable(UUID id, String reason) {
        return database.sql("update webhook_subscription set enabled = false, disabled_reason = :reason,"
                        + " updated_at = now() where id = :id")
                .bind("id", id)
                .bind("reason", reason)
                .fetch()
                .rowsUpdated()
                .then();
    }

    private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec sql, Webhook webhook) {
        UUID id = webhook.id();
        RetrySchedule schedule = webhook.retrySchedule();
        return sql.bind("id", id)
                .bind("name", webhook.name())
                .bind("url", webhook.url().toString())
                .bind("event_types", webhook.eventTypes().toArray(String[]::new))
                .bind("subject_prefix", Parameter.fromOrEmpty(webhook.subjectPrefix(), String.class))
                .bind("body_template", Parameter.fromOrEmpty(webhook.bodyTemplate(), String.class))
                .bind("auth_type", webhook.auth().type().value())
                .bind(
                        "auth",
                        Parameter.fromOrEmpty(
                                webhook.auth().type() == AuthType.NONE
                                        ? null
                                        : box.seal(
                                                json.writeValueAsBytes(
                                                        webhook.auth().config()),
                                                aad(id, "auth")),
                                byte[].class))
                .bind("secret", box.seal(utf8(webhook.secret()), aad(id, "secret")))
                .bind(
                        "previous_secret",
                        Parameter.fromOrEmpty(
                                webhook.previousSecret() == null
                                        ? null
                                        : box.seal(utf8(webhook.previousSecret()), aad(id, "previous_secret")),
                                byte[].class))
                .bind(
                        "previous_expires",
                        Parameter.fromOrEmpty(at(webhook.previousSecretExpiresAt()), OffsetDateTime.class))
                .bind("timeout_ms", (int) webhook.timeout().toMillis())
                .bind(
                        "retry_delays",
                        Parameter.fromOrEmpty(
                                schedule == null
                                        ? null
                                        : schedule.delays().stream()
                                                .map(delay -> (int) delay.toSeconds())
                                                .toArray(Integer[]::new),
                                Integer[].class))
                .bind("rate_limit", Parameter.fromOrEmpty(webhook.rateLimit(), Integer.class))
                .bind("enabled", webhook.enabled())
                .bind("disabled_reason", Parameter.fromOrEmpty(webhook.disabledReason(), String.class))
                .bind("created_by", Parameter.fromOrEmpty(webhook.createdBy(), String.class))
                .bind("created_at", at(webhook.createdAt()))
                .bind("updated_at", at(webhook.updatedAt()));
    }

    private Webhook webhook(Readable row) {
        UUID id = row.get("id", UUID.class);
        AuthType authType = AuthType.of(row.get("auth_type", String.class));
        byte[] authSealed = row.get("auth_ciphertext", byte[].class);
        Map<String, String> config =
                authSealed == null ? Map.of() : json.readValue(box.open(authSealed, aad(id, "auth")), CONFIG);
        byte[] previousSealed = row.get("previous_secret_ciphertext", byte[].class);
        Integer[] delays = row.get("retry_delays_s", Integer[].class);
        return new Webhook(
                id,
                row.get("name", String.class),
                URI.create(row.get("url", String.class)),
                List.of(row.get("event_types", String[].class)),
                row.get("subject_prefix", String.class),
                row.get("body_template", String.class),
                WebhookAuth.of(authType, config),
                new String(
                        box.open(row.get("secret_ciphertext", byte[].class), aad(id, "secret")),
                        StandardCharsets.UTF_8),
                previousSealed == null
                        ? null
                        : new String(box.open(previousSealed, aad(id, "previous_secret")), StandardCharsets.UTF_8),
                instant(row.get("previous_secret_expires_at", OffsetDateTime.class)),
                Duration.ofMillis(row.get("timeout_ms", Integer.class)),
                delays == null
                        ? null
                        : new RetrySchedule(
                                Arrays.stream(delays).map(Duration::ofSeconds).toList()),
                row.get("rate_limit", Integer.class),
                Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                row.get("disabled_reason", String.class),
                row.get("created_by", String.class),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("updated_at", OffsetDateTime.class)));
    }

    private static byte[] aad(UUID id, String column) {
        return (id + "/" + column).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
