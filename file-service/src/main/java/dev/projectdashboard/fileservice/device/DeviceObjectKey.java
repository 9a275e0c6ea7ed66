package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The object key of a device upload ({@link DeviceKey}); unless {@link #required()} is false, a missing one too. */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DeviceObjectKey.Check.class)
@interface DeviceObjectKey {

    String message() default "is not the key of a device upload";

    /** Whether a missing key is refused; optional keys leave {@code null} alone. */
    boolean required() default true;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<DeviceObjectKey, String> {

        private boolean required;

        @Override
        public void initialize(DeviceObjectKey constraint) {
            required = constraint.required();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return (value == null && !required) || ConstraintRefusal.accept(DeviceKey.problem(value), context);
        }
    }
}
