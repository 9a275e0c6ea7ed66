package dev.projectdashboard.fileservice.domain;

import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A single file name as {@link FileNames#fileNameProblem} defines it; the message says what is wrong with it. A
 * custom constraint because the rule (bytes, not characters; control and format characters) is no regular expression
 * a reader would check by eye.
 */
@Documented
@Constraint(validatedBy = FileName.Validator.class)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface FileName {

    String message() default "must be a file name";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Null is left to {@code required}; anything else must be a valid file name. */
    class Validator implements ConstraintValidator<FileName, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            return ConstraintRefusal.accept(FileNames.fileNameProblem(value), context);
        }
    }
}
