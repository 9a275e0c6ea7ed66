package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of channel names that names no channel twice, as written or after {@link ChannelName}'s normalisation; each
 * repetition is refused at its index ({@code channels[2]}). Names that are no channel are left to
 * {@link ChannelParameter} on the elements.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DistinctChannels.Check.class)
@interface DistinctChannels {

    String message() default "names a channel twice";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<DistinctChannels, List<String>> {

        @Override
        public boolean isValid(List<String> channels, ConstraintValidatorContext context) {
            if (channels == null) {
                return true;
            }
            Set<ChannelName> seen = new HashSet<>();
            boolean valid = true;
            for (int i = 0; i < channels.size(); i++) {
                ChannelName channel = parsed(channels.get(i));
                if (channel != null && !seen.add(channel)) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                    }
                    valid = false;
                    context.buildConstraintViolationWithTemplate(
                                    ConstraintRefusal.literal("names " + channel + " twice"))
                            .addBeanNode()
                            .inIterable()
                            .atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }

        private static ChannelName parsed(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return ChannelName.parse(value);
            } catch (IllegalArgumentException notAChannel) {
                return null;
            }
        }
    }
}
