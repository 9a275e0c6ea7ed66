package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.eventbus.EventType;
import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;

/** A type of the event catalogue (docs/contracts.md, Events); null and blank pass ({@code @NotBlank}'s to say). */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = EventTypeName.Check.class)
@interface EventTypeName {

    String message() default "must be an event type of the catalogue";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<EventTypeName, String> {

        private static final String MESSAGE = "must be an event type of the catalogue: "
                + Arrays.stream(EventType.values()).map(EventType::type).toList();

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null
                    || value.isBlank()
                    || EventType.of(value).isPresent()
                    || ConstraintRefusal.accept(MESSAGE, context);
        }
    }
}
