package dev.projectdashboard.eventbus;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * CloudEvents 1.0 JSON envelope (structured mode) carried in the {@code event} field of every stream entry.
 *
 * <p>A record rather than the CloudEvents SDK: the SDK's JSON format is built on Jackson 2 while Spring Boot 4
 * runs Jackson 3, and the envelope is eight fixed attributes, so a record with exactly those fields is simpler and
 * binds with the application's own mapper.
 *
 * @param data the payload: a typed record when publishing, a {@code JsonNode} when decoded from a stream
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        requireText(specversion, "specversion");
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("unsupported CloudEvents specversion '" + specversion + "'");
        }
    }

    /**
     * A new event with a random id, the current time of the system clock (RFC 3339, millisecond precision),
     * specversion 1.0 and {@code application/json} content. A service with a {@link Clock} bean uses
     * {@link #of(String, String, String, Object, Clock)}, so its events and its records tell the same time.
     *
     * @param type one of {@link EventTypes}
     * @param source the producing service, e.g. {@code /deploy-notifier}
     * @param subject the realtime channel the event belongs to, e.g. {@code task:42}; may be null
     */
    public static <T> CloudEvent<T> of(String type, String source, String subject, T data) {
        return of(type, source, subject, data, Clock.systemUTC());
    }

    /** As {@link #of(String, String, String, Object)}, with the time read from {@code clock}. */
    public static <T> CloudEvent<T> of(String type, String source, String subject, T data, Clock clock) {
        return new CloudEvent<>(
                SPEC_VERSION,
                newId(),
                source,
                type,
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                subject,
                JSON,
                data);
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: {@code UUID.randomUUID()} reads the OS entropy pool
     * through a blocking stream, which must not happen on an event loop, and an event id only has to be unique, not
     * unpredictable.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }

    /** The same event with other data, e.g. a decoded {@code JsonNode} converted to its typed record. */
    public <U> CloudEvent<U> withData(U newData) {
        return new CloudEvent<>(specversion, id, source, type, time, subject, datacontenttype, newData);
    }

    private static void requireText(String value, String attribute) {
        Objects.requireNonNull(value, () -> "CloudEvents attribute '" + attribute + "' is required");
        if (value.isBlank()) {
            throw new IllegalArgumentException("CloudEvents attribute '" + attribute + "' must not be blank");
        }
    }
}
