package dev.projectdashboard.starter.validation;

import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Makes the validator load its message bundles at start-up: the first constraint violation otherwise reads
 * {@code ValidationMessages.properties} from a jar on an event-loop thread, a blocking call.
 */
public class ValidationWarmUp implements SmartInitializingSingleton {

    private final ObjectProvider<Validator> validator;

    public ValidationWarmUp(ObjectProvider<Validator> validator) {
        this.validator = validator;
    }

    @Override
    public void afterSingletonsInstantiated() {
        validator.ifAvailable(available ->
                available.validate(new Invalid(null, " ", List.of(), "x", 0, 99, "no-mail", 0, BigDecimal.ZERO, "a")));
    }

    /** One violation per common constraint, so every message template is interpolated once. */
    record Invalid(
            @NotNull String notNull,
            @NotBlank String notBlank,
            @NotEmpty List<String> notEmpty,
            @Size(min = 2, max = 3) String size,
            @Min(1) int min,
            @Max(10) int max,
            @Email String email,
            @Positive int positive,
            @DecimalMin("1.5") BigDecimal decimalMin,
            @Pattern(regexp = "[0-9]+") String pattern) {}
}
