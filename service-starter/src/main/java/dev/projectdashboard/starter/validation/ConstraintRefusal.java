package dev.projectdashboard.starter.validation;

import jakarta.validation.ConstraintValidatorContext;

/**
 * For custom constraint validators whose checks say in their own words what is wrong: the refusal becomes the
 * violation's message, taken literally, so a client's own text in it (a name, a channel) or braces that are no
 * message parameters are never interpolated as a message template.
 */
public final class ConstraintRefusal {

    private ConstraintRefusal() {}

    /**
     * @param problem what is wrong, or {@code null} when nothing is
     * @param context the validator's context, whose default violation {@code problem} replaces
     * @return whether the value is valid, for {@code isValid} to return
     */
    public static boolean accept(String problem, ConstraintValidatorContext context) {
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(problem)).addConstraintViolation();
        return false;
    }

    /** {@code text} as a message template that interpolates to {@code text} itself. */
    public static String literal(String text) {
        return text.replace("\\", "\\\\")
                .replace("{", "\\{")
                .replace("}", "\\}")
                .replace("$", "\\$");
    }
}
