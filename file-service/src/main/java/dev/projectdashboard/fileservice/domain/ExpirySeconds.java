package dev.projectdashboard.fileservice.domain;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A presigned URL's {@code expire_time} in seconds: 1 s to 7 days, the longest SigV4 allows. */
@Documented
@Min(1)
@Max(604_800)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ExpirySeconds {

    String message() default FileNames.EXPIRY_RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
