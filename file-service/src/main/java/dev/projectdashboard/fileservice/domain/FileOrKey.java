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
 * A file given by its name or by its object key, as {@link FileNames#fileOrKeyProblem} defines them; the message says
 * what is wrong with it.
 */
@Documented
@Constraint(validatedBy = FileOrKey.Validator.class)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface FileOrKey {

    String message() default "must be a file name or an object key";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Null is left to {@code @NotNull}; anything else must be a valid file name or object key. */
    class Validator implements ConstraintValidator<FileOrKey, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            return ConstraintRefusal.accept(FileNames.fileOrKeyProblem(value), context);
        }
    }
}
