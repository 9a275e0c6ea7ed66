package dev.projectdashboard.starter.validation;

import jakarta.validation.Validator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Validation that never blocks an event loop on its first use. */
@AutoConfiguration(afterName = "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration")
@ConditionalOnClass(Validator.class)
public class ValidationWarmUpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ValidationWarmUp dashboardValidationWarmUp(ObjectProvider<Validator> validator) {
        return new ValidationWarmUp(validator);
    }
}
