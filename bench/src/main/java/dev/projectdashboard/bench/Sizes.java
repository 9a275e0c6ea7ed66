package dev.projectdashboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Byte sizes written the way people say them: {@code 100MiB}, {@code 1GiB}, {@code 512KiB}, {@code 42}. */
final class Sizes {

    private Sizes() {}

    static List<Long> parseList(String text) {
        List<Long> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                sizes.add(parse(part.trim()));
            }
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("no sizes in '" + text + "'");
        }
        return List.copyOf(sizes);
    }

    static long parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = lower;
        for (String[] suffix : new String[][] {{"gib", "30"}, {"mib", "20"}, {"kib", "10"}, {"b", "0"}}) {
            if (lower.endsWith(suffix[0])) {
                unit = 1L << Integer.parseInt(suffix[1]);
                digits = lower.substring(0, lower.length() - suffix[0].length());
                break;
            }
        }
        long value;
        try {
            value = Long.parseLong(digits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 100MiB, 1GiB)", e);
        }
        if (value <= 0) {
            throw new IllegalArgumentException("size must be positive: '" + text + "'");
        }
        return Math.multiplyExact(value, unit);
    }

    static String format(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        if (bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + " KiB";
        }
        return bytes + " B";
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
