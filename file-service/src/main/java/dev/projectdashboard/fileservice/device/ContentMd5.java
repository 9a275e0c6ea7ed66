package dev.projectdashboard.fileservice.device;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Base64;
import java.util.HexFormat;

/** An MD5 digest, base64 (as the {@code Content-MD5} header) or 32 hex digits; absent or blank is no digest. */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ContentMd5.Check.class)
@interface ContentMd5 {

    String message() default "must be a base64 or hex MD5 digest";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<ContentMd5, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.isBlank() || base64(value) != null;
        }

        /**
         * The digest as {@code Content-MD5} wants it (base64), or {@code null} when {@code md5} is blank or no MD5
         * digest.
         */
        static String base64(String md5) {
            if (md5 == null || md5.isBlank()) {
                return null;
            }
            try {
                byte[] digest = md5.length() == 32
                        ? HexFormat.of().parseHex(md5)
                        : Base64.getDecoder().decode(md5);
                return digest.length == 16 ? Base64.getEncoder().encodeToString(digest) : null;
            } catch (IllegalArgumentException notADigest) {
                return null;
            }
        }
    }
}
