package dev.projectdashboard.fileservice.domain;

import java.util.Locale;

/** What a stored file is; decides its top folder. */
public enum FileKind {
    SCENE,
    RESULT,
    DEVICE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The public API's {@code kind} parameter: {@code scene} (default) or {@code result}. */
    public static FileKind ofParameter(String value) {
        if (value == null || value.isEmpty() || value.equals("scene")) {
            return SCENE;
        }
        if (value.equals("result")) {
            return RESULT;
        }
        throw FileNames.invalid("kind", "must be 'scene' or 'result'");
    }
}
