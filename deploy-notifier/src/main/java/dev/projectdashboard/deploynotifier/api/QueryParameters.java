package dev.projectdashboard.deploynotifier.api;

import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Names;
import dev.projectdashboard.deploynotifier.deployment.Times;
import dev.projectdashboard.deploynotifier.store.DeploymentQueries;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The query parameters that take more than a {@code @Pattern} or a range to check, each a Bean Validation constraint
 * (so the starter's problem mapping answers them like every other 400) and the conversion the controller applies once
 * the value passed.
 */
final class QueryParameters {

    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofDays(366);
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    private QueryParameters() {}

    /** A deployment status word, as the webhooks take it ({@code failure} is {@code failed}). */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = StatusValidator.class)
    @interface Status {
        String message() default "must be one of running, success, failed, cancelled, skipped";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A previous page's {@code next_before}, or an RFC 3339 time within {@link Times#RANGE}. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = BeforeValidator.class)
    @interface Before {
        String message() default "must be a previous page's next_before or an RFC 3339 time";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** An ISO-8601 duration from {@link #MIN_WINDOW} to {@link #MAX_WINDOW}. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = WindowValidator.class)
    @interface Window {
        String message() default "must be an ISO-8601 duration such as P7D or PT12H";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    static DeploymentStatus status(String word) {
        return word == null ? null : DeploymentStatus.of(word).orElseThrow();
    }

    /** {@code next_before}: where the page after {@code last} starts, as an opaque base64url string. */
    static String next(DeploymentViews.Deployment last) {
        String raw = last.startedAt() + "|" + last.project() + "|" + last.deploymentId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position {@code before} names; {@code null} when it names none. */
    static DeploymentQueries.Cursor cursor(String before) {
        if (before == null) {
            return null;
        }
        Instant time = Times.parse(before);
        return time != null ? new DeploymentQueries.Cursor(time, "", "") : decode(before);
    }

    private static DeploymentQueries.Cursor decode(String before) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(before), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length == 3 && Names.valid(parts[1]) && Names.valid(parts[2])) {
                return new DeploymentQueries.Cursor(Instant.parse(parts[0]), parts[1], parts[2]);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // not a cursor either
        }
        return null;
    }

    static Duration window(String window) {
        return window == null ? DEFAULT_WINDOW : Duration.parse(window);
    }

    static final class StatusValidator implements ConstraintValidator<Status, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || DeploymentStatus.of(value).isPresent();
        }
    }

    static final class BeforeValidator implements ConstraintValidator<Before, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            DeploymentQueries.Cursor cursor = cursor(value);
            if (cursor == null) {
                return false;
            }
            // PostgreSQL refuses a time beyond its range: without this, a 500
            return Times.inRange(cursor.startedAt()) || refuse(context, "must be a time " + Times.RANGE);
        }
    }

    static final class WindowValidator implements ConstraintValidator<Window, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Duration span;
            try {
                span = Duration.parse(value);
            } catch (DateTimeParseException e) {
                return false;
            }
            return (span.compareTo(MIN_WINDOW) >= 0 && span.compareTo(MAX_WINDOW) <= 0)
                    || refuse(context, "must be between PT1S and P366D");
        }
    }

    /** Refuses with {@code message} instead of the constraint's own. */
    private static boolean refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }
}
