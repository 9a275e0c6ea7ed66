package dev.projectdashboard.realtimeservice.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page size of the server API: absent, or from 1 up to its endpoint's configured maximum
 * ({@code dashboard.realtime.api.stats-max-limit}, {@code history-max-limit}).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ApiLimit.Check.class)
@interface ApiLimit {

    Endpoint value();

    String message() default "must be between 1 and the endpoint's maximum";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Endpoint {
        STATS,
        HISTORY
    }

    /** Reads the maximum from the settings (Spring creates the validator, so it is injected). */
    final class Check implements ConstraintValidator<ApiLimit, Integer> {

        private final RealtimeApiProperties properties;
        private int max;

        Check(RealtimeApiProperties properties) {
            this.properties = properties;
        }

        @Override
        public void initialize(ApiLimit limit) {
            max = limit.value() == Endpoint.STATS ? properties.statsMaxLimit() : properties.historyMaxLimit();
        }

        @Override
        public boolean isValid(Integer limit, ConstraintValidatorContext context) {
            if (limit == null || (limit >= 1 && limit <= max)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be between 1 and " + max)
                    .addConstraintViolation();
            return false;
        }
    }
}
