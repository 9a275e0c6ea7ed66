package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A path segment or body field that names a channel ({@link Kind#CHANNEL}: {@code namespace:name}) or a user
 * ({@link Kind#USER}: what {@code user:{id}} accepts), refused with what {@link ChannelName} says is wrong. Null and
 * blank values pass: whether one is required is {@code @NotBlank}'s to say.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ChannelParameter.Check.class)
@interface ChannelParameter {

    Kind value() default Kind.CHANNEL;

    String message() default "is not a channel name";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Kind {
        CHANNEL,
        USER
    }

    final class Check implements ConstraintValidator<ChannelParameter, String> {

        private Kind kind;

        @Override
        public void initialize(ChannelParameter parameter) {
            kind = parameter.value();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            String message;
            try {
                if (kind == Kind.USER) {
                    ChannelName.of(ChannelName.USER, value);
                } else {
                    ChannelName.parse(value);
                }
                return true;
            } catch (IllegalArgumentException e) {
                message = kind == Kind.USER ? "must be a user id of [A-Za-z0-9._@~+=-], at most 128" : e.getMessage();
            }
            return ConstraintRefusal.accept(message, context);
        }
    }
}
