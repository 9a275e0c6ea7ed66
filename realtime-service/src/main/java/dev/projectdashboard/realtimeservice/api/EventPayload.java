package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import tools.jackson.databind.JsonNode;

/**
 * An event's {@code data}: present (not absent, not JSON {@code null}) and a JSON object. What its fields must be
 * depends on the event type and is {@link EventData}'s to check.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = EventPayload.Check.class)
@interface EventPayload {

    String message() default "must be a JSON object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<EventPayload, JsonNode> {

        @Override
        public boolean isValid(JsonNode data, ConstraintValidatorContext context) {
            if (data == null || data.isNull() || data.isMissingNode()) {
                return ConstraintRefusal.accept("is required", context);
            }
            return data.isObject();
        }
    }
}
