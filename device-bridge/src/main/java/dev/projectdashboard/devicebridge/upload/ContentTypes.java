package dev.projectdashboard.devicebridge.upload;

import java.util.Locale;
import java.util.Map;

/** The content type of a recording whose request named none, from its file extension. */
final class ContentTypes {

    /** Camera formats; Spring's table maps {@code .ts} to TypeScript. */
    private static final Map<String, String> BY_EXTENSION = Map.of(
            "ts", "video/mp2t",
            "mp4", "video/mp4",
            "mkv", "video/x-matroska",
            "avi", "video/x-msvideo",
            "h264", "video/h264",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "png", "image/png");

    static final String DEFAULT = "application/octet-stream";

    private ContentTypes() {}

    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
