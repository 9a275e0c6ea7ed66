package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventType;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * What the server API publishes as an event's {@code data}: a JSON object that reads as its type's payload (docs/contracts.md, Events)
 * as it is, field by field, and that every consumer can store. Refusals name the field ({@code data.progress}).
 *
 * <ul>
 *   <li>typed fields have their type, not one Jackson would bend it from: no {@code "50"} or {@code 50.5} for a whole
 *       number, no {@code "12.5"} for a number, no {@code true} or {@code 1.5} for a text (a whole number is a text
 *       where ids may be numeric, as the native contract's task ids (docs/contracts.md));
 *   <li>{@code task.progress}: {@code progress} is a percentage, 0 to 100; frame counts are 0 or more;
 *   <li>fields that name a channel ({@code task_id}, {@code user_id}, {@code uploaded_by}, {@code project}, {@code
 *       deployment_id}, {@code device_id}) are channel ids: the fan-out could not route them otherwise;
 *   <li>nowhere a NUL (PostgreSQL, where consumers keep events, refuses it) or a number beyond a double
 *       ({@code 1e400} would be written on as the string {@code "Infinity"}).
 * </ul>
 */
final class EventData {

    private static final JsonMapper STRICT = EventCodec.defaultMapper()
            .rebuild()
            .withCoercionConfig(
                    LogicalType.Integer, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Float, config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private static final Set<String> CHANNEL_IDS =
            Set.of("task_id", "user_id", "uploaded_by", "project", "deployment_id", "device_id");

    private static final Range PERCENT = new Range(0, 100, "must be a percentage from 0 to 100");
    private static final Range COUNT = new Range(0, Integer.MAX_VALUE, "must not be negative");

    // whole-number ranges the types promise beyond their JSON type
    private static final Map<String, Map<String, Range>> RANGES =
            Map.of("task.progress", Map.of("progress", PERCENT, "current_frame", COUNT, "total_frames", COUNT));

    private record Range(long min, long max, String message) {}

    private EventData() {}

    /**
     * What is wrong with {@code data} for {@code type}. Hand-written, not constraints: the rules walk a JSON tree of
     * any shape and depend on the event type the same request names.
     *
     * @param data a JSON object ({@link EventPayload})
     * @return the refusals, each naming its field ({@code data.progress}); empty when the data fits
     */
    static List<FieldViolation> check(EventType type, JsonNode data) {
        List<FieldViolation> errors = new ArrayList<>();
        storable(errors, "data", data);
        if (!errors.isEmpty()) {
            return errors;
        }
        if (type.type().startsWith("task.")) {
            for (String field : List.of("task_id", "user_id")) {
                if (!data.has(field) || data.get(field).isNull()) {
                    errors.add(new FieldViolation("data." + field, "is required for " + type.type()));
                }
            }
        }
        for (String field : CHANNEL_IDS) {
            JsonNode value = data.get(field);
            if (value != null
                    && !value.isNull()
                    && !((value.isString() || value.isIntegralNumber()) && ChannelName.isId(value.asString()))) {
                errors.add(new FieldViolation(
                        "data." + field, "must be an id of 1-128 of [A-Za-z0-9._@~+=-] (it names a channel)"));
            }
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        try {
            STRICT.treeToValue(data, type.dataType());
        } catch (JacksonException e) {
            errors.add(new FieldViolation(path(e), "does not have the type " + type.type() + " gives it"));
            return errors;
        }
        RANGES.getOrDefault(type.type(), Map.of()).forEach((field, range) -> {
            JsonNode value = data.get(field);
            if (value != null
                    && value.isIntegralNumber()
                    && (value.asLong() < range.min() || value.asLong() > range.max())) {
                errors.add(new FieldViolation("data." + field, range.message()));
            }
        });
        return errors;
    }

    /** No NUL in any text or key, no number a double cannot hold. */
    private static void storable(List<FieldViolation> errors, String path, JsonNode node) {
        if (node.isString()) {
            if (node.asString().indexOf('\u0000') >= 0) {
                errors.add(new FieldViolation(path, "must not contain NUL characters"));
            }
        } else if (node.isFloatingPointNumber()) {
            if (!Double.isFinite(node.asDouble())) {
                errors.add(new FieldViolation(path, "must be a number a double can hold"));
            }
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                if (field.getKey().indexOf('\u0000') >= 0) {
                    errors.add(new FieldViolation(path, "must not have keys with NUL characters"));
                } else {
                    storable(errors, path + "." + field.getKey(), field.getValue());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                storable(errors, path + "[" + i + "]", node.get(i));
            }
        }
    }

    /** Where in {@code data} Jackson stopped: {@code data.metrics.steps_count}, {@code data.result_files[2]}. */
    private static String path(JacksonException error) {
        StringBuilder path = new StringBuilder("data");
        for (JacksonException.Reference reference : error.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
