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
import java.util.regex.Pattern;

/**
 * The object key of a device upload: a valid key ({@link FileNames#objectKeyProblem}) in the layout presign gives it,
 * {@code {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{file_name}}. Required: a missing key is refused too.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DeviceObjectKey.Check.class)
@interface DeviceObjectKey {

    /** The layout; group 2 is the file name. */
    Pattern LAYOUT = Pattern.compile("([A-Za-z0-9_-]{1,64})/\\d{4}/\\d{2}/\\d{2}/\\d{6}_(.+)");

    String LAYOUT_RULE = "must be {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{file_name}";

    String message() default "is not the key of a device upload";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<DeviceObjectKey, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = FileNames.objectKeyProblem(value);
            if (problem == null && !LAYOUT.matcher(value).matches()) {
                problem = LAYOUT_RULE;
            }
            return ConstraintRefusal.accept(problem, context);
        }
    }
}
