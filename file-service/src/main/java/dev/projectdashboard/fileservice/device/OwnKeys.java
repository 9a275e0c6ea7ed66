package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.starter.validation.ConstraintRefusal;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * The keys a presign request names belong to its {@code device_id} (so one device never gets a URL for another's
 * key), and a {@code file_name} given with an {@code object_key} is that key or its name part. A constraint on the
 * whole request because it compares fields; each refusal names the field at fault ({@code file_name} or
 * {@code object_key}). Fields that are invalid on their own are left to their own constraints.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = OwnKeys.Check.class)
@interface OwnKeys {

    String message() default "names a key of another device";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<OwnKeys, DeviceUploads.PresignRequest> {

        private static final String OWN_RULE = "must begin with device_id";

        private static final Pattern ID = Pattern.compile(FileNames.ID_PATTERN);

        @Override
        public boolean isValid(DeviceUploads.PresignRequest request, ConstraintValidatorContext context) {
            String deviceId = request.deviceId();
            if (deviceId == null || !ID.matcher(deviceId).matches()) {
                return true;
            }
            String fileName = request.fileName();
            String key = request.objectKey();
            // keys invalid on their own (null here) are refused by their own constraints, and compared with nothing
            DeviceKey path = fileName != null && DeviceKey.isPath(fileName) ? DeviceKey.of(fileName) : null;
            DeviceKey objectKey = key == null ? null : DeviceKey.of(key);
            context.disableDefaultConstraintViolation();
            boolean valid = true;
            if (path != null && !path.deviceId().equals(deviceId)) {
                valid = refuse("fileName", OWN_RULE, context);
            }
            if (objectKey != null && !objectKey.deviceId().equals(deviceId)) {
                valid = refuse("objectKey", OWN_RULE, context);
            }
            boolean fileNameValid = fileName != null
                    && (DeviceKey.isPath(fileName) ? path != null : FileNames.fileNameProblem(fileName) == null);
            if (valid
                    && objectKey != null
                    && fileNameValid
                    && !(fileName.equals(key) || fileName.equals(objectKey.fileName()))) {
                valid = refuse("fileName", "must be object_key or its file name part", context);
            }
            return valid;
        }

        private static boolean refuse(String property, String rule, ConstraintValidatorContext context) {
            context.buildConstraintViolationWithTemplate(ConstraintRefusal.literal(rule))
                    .addPropertyNode(property)
                    .addConstraintViolation();
            return false;
        }
    }
}
