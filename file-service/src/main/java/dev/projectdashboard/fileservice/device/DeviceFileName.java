package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.fileservice.domain.FileNames;
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
 * The {@code file_name} of a presign request: a bare file name ({@link FileNames#fileNameProblem}), or — as source
 * 001's firmware sends it — the full cloud path, which must then be a device key ({@link DeviceKey}). Whose key it
 * is, is {@link OwnKeys}'s to check. Null is left to {@code @NotNull}.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DeviceFileName.Check.class)
@interface DeviceFileName {

    String message() default "must be a file name or a device key";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<DeviceFileName, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            return ConstraintRefusal.accept(
                    DeviceKey.isPath(value) ? DeviceKey.problem(value) : FileNames.fileNameProblem(value), context);
        }
    }
}
