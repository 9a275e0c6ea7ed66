package dev.projectdashboard.fileservice.domain;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A task id: {@link FileNames#ID_PATTERN}. */
@Documented
@Pattern(regexp = FileNames.ID_PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ResourceId {

    String message() default FileNames.ID_RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
